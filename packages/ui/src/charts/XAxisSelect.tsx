import { useId } from 'react';
import type { XMode } from '../lib/series.ts';
import { metricXMode, parseXMode, xMetricKey } from '../lib/x-metric.ts';

/** The x axis picker of line charts: step, relative or wall time, or one of `metricKeys`. */
export function XAxisSelect({
  value,
  metricKeys,
  onChange,
}: {
  value: XMode;
  metricKeys: readonly string[];
  onChange: (x: XMode) => void;
}) {
  const id = useId();
  const current = xMetricKey(value);
  // A metric named by the URL or a saved layout stays selectable even when these runs lack it.
  const keys = current !== null && !metricKeys.includes(current) ? [current, ...metricKeys] : metricKeys;
  return (
    <div className="field">
      <label htmlFor={id}>X axis</label>
      <select id={id} value={value} onChange={(e) => onChange(parseXMode(e.target.value))}>
        <option value="step">Step</option>
        <option value="relative">Relative time</option>
        <option value="wall">Wall time</option>
        {keys.length > 0 ? (
          <optgroup label="Metric">
            {keys.map((k) => (
              <option key={k} value={metricXMode(k)}>
                {k}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
    </div>
  );
}
