import { useId } from 'react';
import type { LiveStatus } from '../../lib/live.ts';
import type { DataGroup } from './run-values.ts';

const ATTRIBUTES: readonly [string, string][] = [
  ['attributes.status', 'Status'],
  ['attributes.user_id', 'User'],
  ['attributes.run_name', 'Run name'],
];

export interface ArrangeBarProps {
  keys: Record<DataGroup, string[]>;
  groupBy: string;
  onGroupBy: (column: string) => void;
  hiddenCount: number;
  showHidden: boolean;
  onShowHidden: (on: boolean) => void;
  nest: boolean;
  onNest: (on: boolean) => void;
  /** The live-events stream of the experiment (runs update without polling). */
  live: LiveStatus;
}

/** Group-by and "show hidden" controls above the runs table, and whether it is live. */
export function ArrangeBar(props: ArrangeBarProps) {
  const groupId = useId();
  const { keys, groupBy } = props;
  const known =
    groupBy === '' ||
    ATTRIBUTES.some(([id]) => id === groupBy) ||
    [...keys.params.map((k) => `params.${k}`), ...keys.tags.map((k) => `tags.${k}`)].includes(groupBy);
  return (
    <div className="arrange-bar">
      <div className="field">
        <label htmlFor={groupId}>Group by</label>
        <select id={groupId} value={groupBy} onChange={(e) => props.onGroupBy(e.target.value)}>
          <option value="">No grouping</option>
          <optgroup label="Attributes">
            {ATTRIBUTES.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </optgroup>
          {keys.params.length > 0 ? (
            <optgroup label="Parameters">
              {keys.params.map((k) => (
                <option key={k} value={`params.${k}`}>
                  {k}
                </option>
              ))}
            </optgroup>
          ) : null}
          {keys.tags.length > 0 ? (
            <optgroup label="Tags">
              {keys.tags.map((k) => (
                <option key={k} value={`tags.${k}`}>
                  {k}
                </option>
              ))}
            </optgroup>
          ) : null}
          {known ? null : <option value={groupBy}>{groupBy}</option>}
        </select>
      </div>
      <label className="check">
        <input type="checkbox" checked={props.showHidden} onChange={(e) => props.onShowHidden(e.target.checked)} />
        Show hidden runs ({props.hiddenCount})
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={props.nest}
          onChange={(e) => props.onNest(e.target.checked)}
          disabled={groupBy !== ''}
        />
        Nest child runs
      </label>
      <span className="refresh-note" role="status">
        {props.live === 'live'
          ? 'Live: changes appear as they are logged'
          : props.live === 'reconnecting'
            ? 'Live updates reconnecting…'
            : 'Connecting live updates…'}
      </span>
    </div>
  );
}
