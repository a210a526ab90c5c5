import { randomUUID } from 'node:crypto';
import { TroveError, validateKey } from '@trove/protocol';

/** The kinds of per-step files and the artifact folder each is written under. */
export const FILE_SERIES_FOLDERS = {
  image: 'images',
  audio: 'audio',
  video: 'video',
  table: 'tables',
  file: 'files',
} as const;

export type FileSeriesKind = keyof typeof FILE_SERIES_FOLDERS;

/** A table to log: MLflow's `{columns, data}` split form, or a list of row objects. */
export type TableData = { columns: string[]; data: unknown[][] } | Record<string, unknown>[];

/** Options of one per-step file. */
export interface StepFileOptions {
  /** File extension without the dot (default png, wav, mp4, json, bin by kind). */
  ext?: string;
  /** Milliseconds since the epoch; default now. */
  timestamp?: number;
}

const DEFAULT_EXT: Record<FileSeriesKind, string> = {
  image: 'png',
  audio: 'wav',
  video: 'mp4',
  table: 'json',
  file: 'bin',
};

/**
 * The artifact path of a file logged at a step, in the layout MLflow's `log_image(key=, step=)`
 * writes and the UI's step slider reads: `images/<key>%step%<step>%timestamp%<ms>%<uuid>.<ext>`.
 * Keys may not hold `/` (MLflow writes it as `#`, which Trove's artifact paths refuse). Audio, video, tables and other files use the same names under
 * `audio/`, `video/`, `tables/` and `files/`.
 *
 * @example
 * stepFilePath('image', 'val.sample', 3, { timestamp: 1700000000000 });
 * // → 'images/val.sample%step%3%timestamp%1700000000000%<uuid>.png'
 */
export function stepFilePath(kind: FileSeriesKind, key: string, step: number, options: StepFileOptions = {}): string {
  validateKey(key, `${kind} key`);
  // MLflow writes a '/' in the key as '#', which Trove's artifact path check refuses.
  if (/[%#/]/.test(key))
    throw new TroveError(
      'INVALID_PARAMETER_VALUE',
      `A ${kind} key may not contain '/', '%' or '#' (use '.' or '_' to group), got '${key}'.`,
    );
  if (!Number.isSafeInteger(step))
    throw new TroveError('INVALID_PARAMETER_VALUE', `Step must be an integer, got ${step}.`);
  const ext = (options.ext ?? DEFAULT_EXT[kind]).replace(/^\./, '');
  if (!/^[A-Za-z0-9]+$/.test(ext))
    throw new TroveError('INVALID_PARAMETER_VALUE', `A file extension is letters and digits, got '${ext}'.`);
  const timestamp = options.timestamp ?? Date.now();
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new TroveError('INVALID_PARAMETER_VALUE', `Timestamp must be a non-negative integer, got ${timestamp}.`);
  return `${FILE_SERIES_FOLDERS[kind]}/${key}%step%${undecodable(String(step))}%timestamp%${undecodable(String(timestamp))}%${fileId()}.${ext}`;
}

/**
 * Each number follows a `%`, and MLflow's client decodes a listed name until it stops changing:
 * digits starting with `2` could read as `%23` ('#', which the server refuses, as MLflow's does,
 * so a plain `log_image` at step 23 fails there) or `%25` ('%', which starts another escape). A
 * leading `0` makes the escape `%0d`, a control character the client reads back harmlessly, and
 * the number parses the same.
 */
const undecodable = (digits: string) => (digits.startsWith('2') ? `0${digits}` : digits);

/** A uuid's hex, never starting with `2` for the same reason (`%2f` would also read as '/'). */
function fileId(): string {
  for (;;) {
    const id = randomUUID().replaceAll('-', '');
    if (!id.startsWith('2')) return id;
  }
}

/** A table as the JSON MLflow's `log_table` writes: `{"columns": [...], "data": [[...], ...]}`. */
export function tableJson(table: TableData): string {
  if (!Array.isArray(table)) return JSON.stringify({ columns: table.columns, data: table.data });
  const columns = [...new Set(table.flatMap((row) => Object.keys(row)))];
  return JSON.stringify({ columns, data: table.map((row) => columns.map((c) => row[c] ?? null)) });
}
