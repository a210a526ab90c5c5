import { invalidParam } from '../errors.ts';
import { stringifyJson } from '../json.ts';
import { defineMessage, i32, obj, str } from '../message.ts';
import type { RunStatus } from '../mlflow/enums.ts';

// Saved views of an experiment's runs table (`/api/trove/v1/experiments/{id}/views`, `/views/{id}`).

export const CreateView = defineMessage({ name: str(true), state: obj(true) });
export const UpdateView = defineMessage({ name: str(), state: obj() });
export const ListViews = defineMessage({ max_results: i32(), page_token: str() });

export const VIEW_STATE_VERSION = 1;
/** Longest view name (characters). */
export const VIEW_NAME_MAX_LENGTH = 256;
/** Largest stored state document (bytes of its JSON). */
export const VIEW_STATE_MAX_BYTES = 64 * 1024;
/** Most entries in any list of the state (columns, pinned, hidden, colours). */
export const VIEW_LIST_MAX = 2000;

export interface ViewSortKey {
  id: string;
  desc: boolean;
}

/**
 * What a view restores: the runs table's URL state. Column, sort and group ids are the table's
 * (`metrics.loss`, `params.lr`, `tags.team`, `attributes.status`); run ids are MLflow run ids;
 * colours are `#rrggbb`. `charts` is the UI's chart layout document, kept as given (null: none saved).
 */
export interface ViewState {
  version: typeof VIEW_STATE_VERSION;
  filter: string;
  name_contains: string;
  status: string;
  columns: string[] | null;
  sort: ViewSortKey[];
  group_by: string;
  pinned: string[];
  hidden: string[];
  colors: Record<string, string>;
  charts: Record<string, unknown> | null;
}

/**
 * What the runs table's status filter (`ViewState.status`) may hold, in its menu's order: '' (any
 * status) and each run status.
 */
export const STATUS_FILTERS = ['', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED', 'SCHEDULED'] as const satisfies readonly (
  | ''
  | RunStatus
)[];
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** A saved view as the API answers it. */
export interface SavedView {
  view_id: string;
  experiment_id: string;
  name: string;
  /** The user who saved it; only they may change or delete it. */
  owner: string;
  state: ViewState;
  creation_timestamp: number;
  last_updated_timestamp: number;
}

/** Create, get and update answer `{view}`. */
export interface SavedViewResponse {
  view: SavedView;
}

export interface ListViewsResponse {
  views: SavedView[];
  next_page_token?: string;
}

const COLOR_RE = /^#[0-9a-fA-F]{6}$/;
const STATUSES: readonly string[] = STATUS_FILTERS;

type Reader<T> = (v: unknown, path: string) => T;

const bad = (path: string, what: string) => invalidParam(`Invalid view state: '${path}' must be ${what}.`);

const text: Reader<string> = (v, path) => {
  if (typeof v !== 'string') throw bad(path, 'a string');
  if (v.length > 8000) throw bad(path, 'at most 8000 characters long');
  return v;
};

function listOf<T>(item: Reader<T>): Reader<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw bad(path, 'a list');
    if (v.length > VIEW_LIST_MAX) throw bad(path, `a list of at most ${VIEW_LIST_MAX} entries`);
    return v.map((x, i) => item(x, `${path}[${i}]`));
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const sortKey: Reader<ViewSortKey> = (v, path) => {
  if (!isObject(v)) throw bad(path, 'an object {id, desc}');
  const extra = Object.keys(v).find((k) => k !== 'id' && k !== 'desc');
  if (extra !== undefined) throw bad(`${path}.${extra}`, 'absent (sort keys hold only id and desc)');
  if (typeof v.desc !== 'boolean') throw bad(`${path}.desc`, 'a boolean');
  return { id: text(v.id, `${path}.id`), desc: v.desc };
};

const colors: Reader<Record<string, string>> = (v, path) => {
  if (!isObject(v)) throw bad(path, 'an object of run id → #rrggbb');
  const entries = Object.entries(v);
  if (entries.length > VIEW_LIST_MAX) throw bad(path, `an object of at most ${VIEW_LIST_MAX} entries`);
  for (const [run, c] of entries)
    if (typeof c !== 'string' || !COLOR_RE.test(c)) throw bad(`${path}.${run}`, 'a colour #rrggbb');
  return v as Record<string, string>;
};

const chartLayout: Reader<Record<string, unknown> | null> = (v, path) => {
  if (v !== null && !isObject(v)) throw bad(path, 'a JSON object or null');
  return v;
};

const FIELDS: {
  [K in Exclude<keyof ViewState, 'version'>]: { read: Reader<ViewState[K]>; initial: () => ViewState[K] };
} = {
  filter: { read: text, initial: () => '' },
  name_contains: { read: text, initial: () => '' },
  status: {
    read: (v, path) => {
      const s = text(v, path);
      if (!STATUSES.includes(s)) throw bad(path, `one of ${STATUSES.map((x) => `'${x}'`).join(', ')}`);
      return s;
    },
    initial: () => '',
  },
  columns: { read: (v, path) => (v === null ? null : listOf(text)(v, path)), initial: () => null },
  sort: { read: listOf(sortKey), initial: () => [] },
  group_by: { read: text, initial: () => '' },
  pinned: { read: listOf(text), initial: () => [] },
  hidden: { read: listOf(text), initial: () => [] },
  colors: { read: colors, initial: () => ({}) },
  charts: { read: chartLayout, initial: () => null },
};

/**
 * Validates a view state document and fills absent fields with their defaults. Unknown top-level
 * fields, wrong types, an unknown `version` and documents over {@link VIEW_STATE_MAX_BYTES} are
 * rejected with INVALID_PARAMETER_VALUE.
 */
export function parseViewState(input: unknown): ViewState {
  if (!isObject(input)) throw bad('state', 'a JSON object');
  if (input.version !== VIEW_STATE_VERSION) throw bad('state.version', `${VIEW_STATE_VERSION}`);
  const unknown = Object.keys(input).filter((k) => k !== 'version' && !(k in FIELDS));
  if (unknown.length > 0)
    throw invalidParam(`Invalid view state: unknown field(s) ${unknown.map((k) => `'${k}'`).join(', ')}.`);
  const out: Record<string, unknown> = { version: VIEW_STATE_VERSION };
  for (const [name, field] of Object.entries(FIELDS) as [string, { read: Reader<unknown>; initial: () => unknown }][]) {
    out[name] = input[name] === undefined ? field.initial() : field.read(input[name], `state.${name}`);
  }
  const bytes = new TextEncoder().encode(stringifyJson(out)).length;
  if (bytes > VIEW_STATE_MAX_BYTES)
    throw invalidParam(`Invalid view state: it takes ${bytes} bytes as JSON; the limit is ${VIEW_STATE_MAX_BYTES}.`);
  return out as unknown as ViewState;
}
