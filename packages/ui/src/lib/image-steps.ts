/**
 * Images logged per step. MLflow's `log_image(image, key=…, step=…)` writes
 * `images/<key>%step%<step>%timestamp%<ms>%<uuid>.png` (a `/` in the key becomes `#`), plus a
 * `…%compressed.webp` thumbnail beside it. Pure: file paths in, images per key by step out.
 */

export interface StepImage {
  key: string;
  step: number;
  timestamp: number;
  /** The full-size file (or the thumbnail when only that was uploaded). */
  path: string;
}

const NAME = /^(.*)%step%(-?\d+)%timestamp%(\d+)%([^%/]+?)(%compressed)?\.([A-Za-z0-9]+)$/;
const IMAGE_EXT = new Set(['png', 'jpg', 'jpeg', 'webp', 'gif']);

export interface ParsedImageName {
  key: string;
  step: number;
  timestamp: number;
  id: string;
  compressed: boolean;
}

/** The parts of one file name in MLflow's layout (path relative to the run's artifact root), or null. */
export function parseImagePath(path: string): ParsedImageName | null {
  const name = path.startsWith('images/') ? path.slice('images/'.length) : null;
  if (name === null || name.includes('/')) return null;
  const m = NAME.exec(name);
  if (!m || !IMAGE_EXT.has(m[6].toLowerCase())) return null;
  return {
    key: m[1].replaceAll('#', '/'),
    step: Number(m[2]),
    timestamp: Number(m[3]),
    id: m[4],
    compressed: m[5] !== undefined,
  };
}

/**
 * Images per key, ascending by step. Full-size files win over thumbnails of the same upload;
 * several uploads at one step keep the latest (as MLflow's image grid does).
 */
export function groupStepImages(paths: readonly string[]): Map<string, StepImage[]> {
  const uploads = new Map<string, { parsed: ParsedImageName; path: string }>();
  for (const path of paths) {
    const parsed = parseImagePath(path);
    if (!parsed) continue;
    const id = `${parsed.key}\u0000${parsed.step}\u0000${parsed.timestamp}\u0000${parsed.id}`;
    const seen = uploads.get(id);
    if (!seen || (seen.parsed.compressed && !parsed.compressed)) uploads.set(id, { parsed, path });
  }
  const byKey = new Map<string, Map<number, StepImage>>();
  for (const { parsed, path } of uploads.values()) {
    const steps = byKey.get(parsed.key) ?? new Map<number, StepImage>();
    byKey.set(parsed.key, steps);
    const prev = steps.get(parsed.step);
    if (!prev || prev.timestamp < parsed.timestamp)
      steps.set(parsed.step, { key: parsed.key, step: parsed.step, timestamp: parsed.timestamp, path });
  }
  const out = new Map<string, StepImage[]>();
  for (const key of [...byKey.keys()].sort())
    out.set(
      key,
      [...byKey.get(key)!.values()].sort((a, b) => a.step - b.step),
    );
  return out;
}

/** The image shown at `step`: the latest logged at or before it (the first one before any). */
export function imageAtStep(images: readonly StepImage[], step: number): StepImage | undefined {
  let found: StepImage | undefined;
  for (const img of images) {
    if (img.step > step) break;
    found = img;
  }
  return found ?? images[0];
}

/** Every step any key has an image at, ascending (the slider's stops). */
export function imageSteps(groups: ReadonlyMap<string, readonly StepImage[]>): number[] {
  const steps = new Set<number>();
  for (const list of groups.values()) for (const img of list) steps.add(img.step);
  return [...steps].sort((a, b) => a - b);
}
