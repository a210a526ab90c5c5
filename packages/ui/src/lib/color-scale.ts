/** Colouring runs by a value: a position 0..1 on the colour field's axis → a CSS colour on the viridis-like ramp. Pure. */
import { colorRamp } from './contour-grid.ts';

export function rampColor(t: number): string {
  const [r, g, b] = colorRamp(t);
  return `rgb(${r}, ${g}, ${b})`;
}

/** A CSS `linear-gradient` of the ramp, low to high along `direction`, for a legend bar. */
export function rampGradient(direction = 'to right', stops = 8): string {
  const parts = Array.from(
    { length: stops + 1 },
    (_, i) => `${rampColor(i / stops)} ${Math.round((i / stops) * 100)}%`,
  );
  return `linear-gradient(${direction}, ${parts.join(', ')})`;
}
