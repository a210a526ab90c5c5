/** A line chart's own controls: log axes, ignore outliers, full screen, export PNG and CSV. Each a labelled button with a tooltip. */

export interface LineOptions {
  logX: boolean;
  logY: boolean;
  clip: boolean;
}

function Toggle({
  on,
  label,
  title,
  children,
  disabled,
  onToggle,
}: {
  on: boolean;
  label: string;
  title: string;
  children: React.ReactNode;
  disabled?: boolean;
  onToggle: () => void;
}) {
  return (
    <button
      type="button"
      className="chart-tool"
      aria-pressed={on}
      aria-label={label}
      title={title}
      disabled={disabled}
      onClick={onToggle}
    >
      {children}
    </button>
  );
}

export function ChartTools({
  options,
  onOptions,
  canLogX,
  full,
  onFull,
  onPng,
  onCsv,
}: {
  options: LineOptions;
  /** Without it the axis toggles are left out (the page keeps them elsewhere). */
  onOptions?: (patch: Partial<LineOptions>) => void;
  canLogX: boolean;
  full: boolean;
  onFull: (full: boolean) => void;
  onPng: () => void;
  onCsv: () => void;
}) {
  return (
    <div className="chart-tools" role="toolbar" aria-label="Chart controls">
      {onOptions ? (
        <>
          <Toggle
            on={options.logX}
            label="Log scale x"
            title={canLogX ? 'Log scale on x (points at x ≤ 0 are left out)' : 'Log x needs a step or metric axis'}
            disabled={!canLogX}
            onToggle={() => onOptions({ logX: !options.logX })}
          >
            log x
          </Toggle>
          <Toggle
            on={options.logY}
            label="Log scale y"
            title="Log scale on y"
            onToggle={() => onOptions({ logY: !options.logY })}
          >
            log y
          </Toggle>
          <Toggle
            on={options.clip}
            label="Ignore outliers"
            title="Ignore outliers: fit y to the 2nd–98th percentile of the drawn values"
            onToggle={() => onOptions({ clip: !options.clip })}
          >
            ⇕ clip
          </Toggle>
        </>
      ) : null}
      <button
        type="button"
        className="chart-tool"
        aria-label={full ? 'Exit full screen' : 'Full screen'}
        title={full ? 'Exit full screen (Escape)' : 'Full screen'}
        onClick={() => onFull(!full)}
      >
        <FullScreenIcon exit={full} />
      </button>
      <button
        type="button"
        className="chart-tool"
        aria-label="Export PNG"
        title="Download the chart as PNG"
        onClick={onPng}
      >
        PNG
      </button>
      <button
        type="button"
        className="chart-tool"
        aria-label="Export CSV"
        title="Download the drawn points as CSV"
        onClick={onCsv}
      >
        CSV
      </button>
    </div>
  );
}

/** Four corner brackets pointing out (enter) or in (exit): drawn, since ⛶ is missing from common fonts. */
function FullScreenIcon({ exit }: { exit: boolean }) {
  const d = exit ? 'M6 2v4H2M10 2v4h4M6 14v-4H2M10 14v-4h4' : 'M2 6V2h4M14 6V2h-4M2 10v4h4M14 10v4h-4';
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 16 16"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
    >
      <path d={d} />
    </svg>
  );
}
