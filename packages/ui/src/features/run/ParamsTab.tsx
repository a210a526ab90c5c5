import type { Run } from '../../api/types.ts';
import { SearchInput } from '../../components/inputs.tsx';
import { ParamTreeTable } from './ParamTreeTable.tsx';

/** Params as a tree of their `/`-separated keys, searchable by key or value (`?pq=`). */
export function ParamsTab({ run, query, onQuery }: { run: Run; query: string; onQuery: (q: string) => void }) {
  const params = run.data.params ?? [];
  return (
    <div>
      <div className="toolbar">
        <SearchInput
          label="Search parameters"
          value={query}
          onCommit={onQuery}
          placeholder="key or value"
          className="grow"
        />
        <span className="muted">{params.length} parameters</span>
      </div>
      <ParamTreeTable params={params} query={query} />
    </div>
  );
}
