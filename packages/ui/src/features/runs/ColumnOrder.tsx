import { FIXED_TITLES, moveColumn } from './column-layout.ts';

/** More than this many shown columns are listed only in part (a `col=*` table may show thousands). */
const MAX_ORDERED = 100;

/**
 * The shown columns in table order, each with "move left" and "move right": the run columns
 * move among themselves, the data columns among themselves (the run columns stay in front).
 */
export function ColumnOrder({
  fixed,
  onFixed,
  chosen,
  onChosen,
}: {
  fixed: string[];
  onFixed: (ids: string[]) => void;
  chosen: string[];
  onChosen: (ids: string[]) => void;
}) {
  const rows = [
    ...fixed.map((id) => ({ id, title: FIXED_TITLES[id] ?? id, list: fixed, set: onFixed })),
    ...chosen.slice(0, MAX_ORDERED).map((id) => ({ id, title: id, list: chosen, set: onChosen })),
  ];
  return (
    <fieldset className="column-order">
      <legend>Order</legend>
      {rows.map(({ id, title, list, set }) => {
        const at = list.indexOf(id);
        return (
          <div key={id} className="tree-row">
            <button
              type="button"
              className="tree-toggle"
              aria-label={`Move ${title} left`}
              title="Move left"
              disabled={at === 0}
              onClick={() => set(moveColumn(list, id, -1))}
            >
              ←
            </button>
            <button
              type="button"
              className="tree-toggle"
              aria-label={`Move ${title} right`}
              title="Move right"
              disabled={at === list.length - 1}
              onClick={() => set(moveColumn(list, id, 1))}
            >
              →
            </button>
            <span className="mono">{title}</span>
          </div>
        );
      })}
      {chosen.length > MAX_ORDERED ? <p className="muted">{chosen.length - MAX_ORDERED} more not listed.</p> : null}
    </fieldset>
  );
}
