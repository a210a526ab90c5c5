import { useId } from 'react';
import { MenuDetails } from '../components/MenuDetails.tsx';
import { canLog, type ScaleOverrides, spansDecades, withScale } from '../lib/axis-scale.ts';
import type { Axis } from '../lib/chart-axes.ts';
import { RUN_COLORS } from '../lib/color-by.ts';
import { fieldKey } from './chart-layout.ts';
import type { ChartRun } from './chart-runs.ts';

/** The parallel coordinates plot's own settings: what colours the lines, and which axes are logarithmic. */
export function ParallelControls({
  runs,
  axes,
  colorBy,
  colorOptions,
  scales,
  onColorBy,
  onScales,
}: {
  runs: readonly ChartRun[];
  axes: readonly Axis[];
  /** The field lines are coloured by, or null for run colours. */
  colorBy: string | null;
  colorOptions: { metrics: string[]; params: string[] };
  scales: ScaleOverrides;
  onColorBy?: (choice: string) => void;
  onScales?: (scales: ScaleOverrides) => void;
}) {
  const id = useId();
  const loggable = axes.filter(canLog);
  return (
    <div className="toolbar">
      {onColorBy ? (
        <div className="field">
          <label htmlFor={id}>Colour lines by</label>
          <select id={id} value={colorBy ?? RUN_COLORS} onChange={(e) => onColorBy(e.target.value)}>
            <option value={RUN_COLORS}>Run colour</option>
            {(['metrics', 'params'] as const).map((g) =>
              colorOptions[g].length === 0 ? null : (
                <optgroup key={g} label={g === 'metrics' ? 'Metrics' : 'Parameters'}>
                  {colorOptions[g].map((f) => (
                    <option key={f} value={f}>
                      {fieldKey(f)}
                    </option>
                  ))}
                </optgroup>
              ),
            )}
          </select>
        </div>
      ) : null}
      {onScales && loggable.length > 0 ? (
        <MenuDetails summary={`Log axes (${axes.filter((a) => a.kind === 'numeric' && a.log).length})`}>
          <div className="columns-panel">
            <fieldset>
              <legend>Logarithmic scale (numeric axes with positive values)</legend>
              {loggable.map((axis) => {
                const automatic = spansDecades(runs.map((r) => r.values.get(axis.field))) ? 'log' : 'linear';
                return (
                  <label key={axis.field} className="check">
                    <input
                      type="checkbox"
                      aria-label={`Log scale for ${fieldKey(axis.field)}`}
                      checked={axis.kind === 'numeric' && axis.log}
                      onChange={(e) =>
                        onScales(withScale(scales, axis.field, e.target.checked ? 'log' : 'linear', automatic))
                      }
                    />
                    <span className="mono">{fieldKey(axis.field)}</span>
                    {automatic === 'log' ? <span className="muted">(spans decades)</span> : null}
                  </label>
                );
              })}
            </fieldset>
          </div>
        </MenuDetails>
      ) : null}
    </div>
  );
}
