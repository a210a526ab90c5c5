import { describe, expect, it } from 'vitest';
import type { Run } from '../src/api/types.ts';
import { missingParents, runIdFilter, withParents } from '../src/features/runs/nest-parents.ts';
import { arrangeRuns } from '../src/features/runs/run-rows.ts';

const run = (id: string, parent?: string): Run =>
  ({
    info: { run_id: id, run_name: id, status: 'FINISHED', start_time: '1' },
    data: { tags: parent ? [{ key: 'mlflow.parentRunId', value: parent }] : [] },
  }) as unknown as Run;

describe('nesting children whose parent is not loaded', () => {
  const page = [run('a1', 'A'), run('a2', 'A'), run('b1', 'B'), run('solo'), run('c1', 'C')];

  it('names the parents no loaded run is, in the order of their first child', () => {
    expect(missingParents(page)).toEqual(['A', 'B', 'C']);
    expect(missingParents([...page, run('B')])).toEqual(['A', 'C']);
  });

  it('places each fetched parent just before its first child, once, so the children nest under it', () => {
    const placed = withParents(page, [run('B'), run('A')]);
    expect(placed.map((r) => r.info.run_id)).toEqual(['A', 'a1', 'a2', 'B', 'b1', 'solo', 'c1']);
    const rows = arrangeRuns(
      placed,
      { groupBy: '', pinned: [], hidden: [], showHidden: false, nest: true, expanded: ['A'], collapsed: [] },
      [],
    );
    expect(rows.map((r) => (r.kind === 'run' ? `${r.depth}:${r.run.info.run_id}` : r.key))).toEqual([
      '0:A',
      '1:a1',
      '1:a2',
      '0:B',
      '0:solo',
      '0:c1',
    ]);
  });

  it('leaves the runs as they are when the parent is already loaded or none was fetched', () => {
    expect(withParents(page, [])).toBe(page);
    const withA = [run('A'), ...page];
    expect(withParents(withA, [run('A')])).toBe(withA);
  });

  it('asks for the parents with an IN list', () => {
    expect(runIdFilter(['ab', 'cd'])).toBe("attributes.run_id IN ('ab', 'cd')");
  });
});
