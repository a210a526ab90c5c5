/** "Export PNG" and "Export CSV" for line charts: what is drawn, as a file the browser downloads. */
import { cssVar } from '../app/theme.ts';

export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; the URL can go once the event loop moves on.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file name from a metric key (`val/loss` → `val_loss`). */
export const fileStem = (key: string): string => key.replace(/[^\w.-]+/g, '_') || 'chart';

/**
 * The chart's canvas (uPlot draws lines and axes on it) under a title and above a one-line
 * legend, on the theme's background, as PNG.
 */
export async function chartPng(
  canvas: HTMLCanvasElement,
  title: string,
  legend: readonly { name: string; color: string }[],
): Promise<Blob | null> {
  const scale = canvas.width / Math.max(1, canvas.clientWidth || canvas.width);
  const pad = 8 * scale;
  const line = 18 * scale;
  const shown = legend.slice(0, 20);
  const out = document.createElement('canvas');
  out.width = canvas.width + pad * 2;
  out.height = canvas.height + line * 2 + pad * 3;
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = cssVar('--bg') || '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = cssVar('--fg') || '#000000';
  ctx.font = `600 ${13 * scale}px sans-serif`;
  ctx.textBaseline = 'top';
  ctx.fillText(title, pad, pad);
  ctx.drawImage(canvas, pad, pad + line);
  ctx.font = `${11 * scale}px sans-serif`;
  let x = pad;
  const y = pad * 2 + line + canvas.height;
  for (const r of shown) {
    ctx.fillStyle = r.color;
    ctx.fillRect(x, y + 2 * scale, 9 * scale, 9 * scale);
    ctx.fillStyle = cssVar('--fg') || '#000000';
    ctx.fillText(r.name, x + 12 * scale, y);
    x += 12 * scale + ctx.measureText(r.name).width + 10 * scale;
    if (x > out.width - 40 * scale) break;
  }
  return new Promise((resolve) => out.toBlob(resolve, 'image/png'));
}
