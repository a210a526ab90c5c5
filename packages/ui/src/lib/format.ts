/** Display formatting shared by every page. Pure. */

/** `1h 02m`, `3m 05s`, `4.2s`, `850ms`; empty for unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  const total = Math.round(s);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${pad(h)}h`;
  if (h > 0) return `${h}h ${pad(m)}m`;
  return `${m}m ${pad(sec)}s`;
}

/** Duration of a run: end − start, or now − start while it runs. */
export function runDuration(start: number | undefined, end: number | undefined, now = Date.now()): number | null {
  if (!start) return null;
  return (end || now) - start;
}

/** `2025-01-31 14:05:09` in local time; stable width for tables. */
export function formatTime(ms: number | string | null | undefined): string {
  const n = Number(ms);
  if (ms === null || ms === undefined || ms === '' || !Number.isFinite(n) || n <= 0) return '';
  const d = new Date(n);
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Numbers for tables: up to 6 significant digits, exponent form for very large or small values. */
export function formatNumber(v: number | string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  const n = Number(v);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '-∞';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1e9 || abs < 1e-4) return n.toExponential(3);
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(6)));
}

/** Bytes as `12.3 KB`. */
export function formatBytes(n: number | string | undefined): string {
  const b = Number(n);
  if (n === undefined || !Number.isFinite(b)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let x = b;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return i === 0 ? `${b} B` : `${x.toFixed(x < 10 ? 1 : 0)} ${units[i]}`;
}

/** The first 8 characters of a run id, as MLflow shows them. */
export const shortId = (id: string) => id.slice(0, 8);

/** `1st`, `2nd`, `3rd`, `11th`, `22nd`… */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
