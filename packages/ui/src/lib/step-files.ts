/**
 * Files logged per step. MLflow's `log_image(image, key=…, step=…)` writes
 * `images/<key>%step%<step>%timestamp%<ms>%<uuid>.png` (a `/` in the key becomes `#`), plus a
 * `…%compressed.webp` thumbnail beside it. The SDK's `logAudio/logVideo/logTable/logFile` use the
 * same names under `audio/`, `video/`, `tables/` and `files/`. Pure: file paths in, files per
 * kind and key by step out.
 */

export type StepFileKind = 'image' | 'audio' | 'video' | 'table' | 'file';

/** Each kind's artifact folder, in the order the run page shows them. */
export const STEP_FILE_FOLDERS: Readonly<Record<StepFileKind, string>> = {
  image: 'images',
  audio: 'audio',
  video: 'video',
  table: 'tables',
  file: 'files',
};

export const STEP_FILE_KINDS = Object.keys(STEP_FILE_FOLDERS) as StepFileKind[];

export interface StepFile {
  kind: StepFileKind;
  key: string;
  step: number;
  timestamp: number;
  /** The full-size file (for images, the thumbnail when only that was uploaded). */
  path: string;
  /** Bytes, when the listing said. */
  size?: number;
}

/** One listed file: its path relative to the run's artifact root and, when known, its size. */
export interface ListedFile {
  path: string;
  size?: number;
}

export interface ParsedStepFile {
  kind: StepFileKind;
  key: string;
  step: number;
  timestamp: number;
  id: string;
  compressed: boolean;
}

const NAME = /^(.*)%step%(-?\d+)%timestamp%(\d+)%([^%/]+?)(%compressed)?\.([A-Za-z0-9]+)$/;
const IMAGE_EXT = new Set(['png', 'jpg', 'jpeg', 'webp', 'gif']);
const KIND_BY_FOLDER = new Map(STEP_FILE_KINDS.map((kind) => [STEP_FILE_FOLDERS[kind], kind]));

/** The parts of one file name in the per-step layout, or null for any other file. */
export function parseStepFilePath(path: string): ParsedStepFile | null {
  const slash = path.indexOf('/');
  const kind = slash > 0 ? KIND_BY_FOLDER.get(path.slice(0, slash)) : undefined;
  const name = path.slice(slash + 1);
  if (!kind || name.includes('/')) return null;
  const m = NAME.exec(name);
  if (!m) return null;
  const ext = m[6].toLowerCase();
  const compressed = m[5] !== undefined;
  // Only MLflow's images come with a `%compressed` thumbnail; a table is JSON.
  if (kind === 'image' ? !IMAGE_EXT.has(ext) : compressed || (kind === 'table' && ext !== 'json')) return null;
  return {
    kind,
    key: m[1].replaceAll('#', '/'),
    step: Number(m[2]),
    timestamp: Number(m[3]),
    id: m[4],
    compressed,
  };
}

/** Files per kind, per key (sorted), ascending by step; kinds in `STEP_FILE_KINDS` order, only those logged. */
export type StepFileGroups = Map<StepFileKind, Map<string, StepFile[]>>;

/**
 * Groups listed files by kind and key. Full-size images win over thumbnails of the same upload;
 * several uploads at one step keep the latest (as MLflow's image grid does).
 */
export function groupStepFiles(files: readonly ListedFile[]): StepFileGroups {
  const uploads = new Map<string, { parsed: ParsedStepFile; file: ListedFile }>();
  for (const file of files) {
    const parsed = parseStepFilePath(file.path);
    if (!parsed) continue;
    const id = [parsed.kind, parsed.key, parsed.step, parsed.timestamp, parsed.id].join('\u0000');
    const seen = uploads.get(id);
    if (!seen || (seen.parsed.compressed && !parsed.compressed)) uploads.set(id, { parsed, file });
  }
  const byKey = new Map<string, Map<number, StepFile>>();
  for (const { parsed, file } of uploads.values()) {
    const id = `${parsed.kind}\u0000${parsed.key}`;
    const steps = byKey.get(id) ?? new Map<number, StepFile>();
    byKey.set(id, steps);
    const prev = steps.get(parsed.step);
    if (!prev || prev.timestamp < parsed.timestamp) {
      const { kind, key, step, timestamp } = parsed;
      steps.set(step, {
        kind,
        key,
        step,
        timestamp,
        path: file.path,
        ...(file.size === undefined ? {} : { size: file.size }),
      });
    }
  }
  const out: StepFileGroups = new Map();
  for (const kind of STEP_FILE_KINDS) {
    const keys = new Map<string, StepFile[]>();
    const prefix = `${kind}\u0000`;
    const ids = [...byKey.keys()].filter((id) => id.startsWith(prefix)).sort();
    for (const id of ids)
      keys.set(
        id.slice(prefix.length),
        [...byKey.get(id)!.values()].sort((a, b) => a.step - b.step),
      );
    if (keys.size > 0) out.set(kind, keys);
  }
  return out;
}

/** The file shown at `step`: the latest logged at or before it (the first one before any). */
export function fileAtStep(files: readonly StepFile[], step: number): StepFile | undefined {
  let found: StepFile | undefined;
  for (const f of files) {
    if (f.step > step) break;
    found = f;
  }
  return found ?? files[0];
}

/** Every step any kind and key has a file at, ascending (the slider's stops). */
export function stepStops(groups: StepFileGroups): number[] {
  const steps = new Set<number>();
  for (const keys of groups.values()) for (const list of keys.values()) for (const f of list) steps.add(f.step);
  return [...steps].sort((a, b) => a - b);
}

/** The slider's position for a chosen step: the last stop when none, else the stop at or before it (the first when it is below all). */
export function stopIndex(stops: readonly number[], step: number | null): number {
  if (step === null) return stops.length - 1;
  let index = 0;
  for (let i = 0; i < stops.length && stops[i] <= step; i++) index = i;
  return index;
}
