import * as z from 'zod/mini';
import { type DocumentIssue, fieldName, parseDocument } from '../document.ts';
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

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * What a view restores: the runs table's URL state. Column, sort and group ids are the table's
 * (`metrics.loss`, `params.lr`, `tags.team`, `attributes.status`); run ids are MLflow run ids;
 * colours are `#rrggbb`. `charts` is the UI's chart layout document, kept as given (null: none
 * saved). `fixed_columns` lists the run columns shown after the run name, in order (null: the
 * defaults), `column_widths` any column's width in pixels. Absent fields take their defaults; unknown fields are refused. `status` is one of
 * {@link STATUS_FILTERS}. Each message says what the field must be (see describeViewStateIssues).
 */
function viewStateSchema() {
  const text = z.string({ error: 'a string' }).check(z.maxLength(8000, { error: 'at most 8000 characters long' }));
  const list = <T extends z.ZodMiniType>(item: T) =>
    z
      .array(item, { error: 'a list' })
      .check(z.maxLength(VIEW_LIST_MAX, { error: `a list of at most ${VIEW_LIST_MAX} entries` }));
  const colour = z.string({ error: 'a colour #rrggbb' }).check(z.regex(COLOR_RE, { error: 'a colour #rrggbb' }));
  const sortKey = z.strictObject(
    { id: text, desc: z.boolean({ error: 'a boolean' }) },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys' ? 'absent (sort keys hold only id and desc)' : 'an object {id, desc}',
    },
  );
  return z
    .strictObject(
      {
        version: z.literal(VIEW_STATE_VERSION, { error: `${VIEW_STATE_VERSION}` }),
        filter: z._default(text, ''),
        name_contains: z._default(text, ''),
        status: z._default(
          text.check(
            z.refine((s) => STATUSES.includes(s), { error: `one of ${STATUSES.map((x) => `'${x}'`).join(', ')}` }),
          ),
          '',
        ),
        columns: z._default(z.nullable(list(text)), null),
        sort: z._default(list(sortKey), () => []),
        group_by: z._default(text, ''),
        pinned: z._default(list(text), () => []),
        hidden: z._default(list(text), () => []),
        colors: z._default(
          z.record(z.string(), colour, { error: 'an object of run id → #rrggbb' }).check(
            z.refine((o) => Object.keys(o).length <= VIEW_LIST_MAX, {
              error: `an object of at most ${VIEW_LIST_MAX} entries`,
            }),
          ),
          () => ({}),
        ),
        charts: z._default(
          z.custom<Record<string, unknown> | null>((v) => v === null || isObject(v), {
            error: 'a JSON object or null',
          }),
          null,
        ),
        fixed_columns: z._default(z.nullable(list(text)), null),
        column_widths: z._default(
          z
            .record(
              z.string(),
              z
                .int({ error: 'a whole number of pixels' })
                .check(z.gte(20, { error: 'at least 20 pixels' }), z.lte(2000, { error: 'at most 2000 pixels' })),
              { error: 'an object of column id → width in pixels' },
            )
            .check(
              z.refine((o) => Object.keys(o).length <= VIEW_LIST_MAX, {
                error: `an object of at most ${VIEW_LIST_MAX} entries`,
              }),
            ),
          () => ({}),
        ),
      },
      {
        error: (iss) =>
          iss.code === 'unrecognized_keys'
            ? `unknown field(s) ${iss.keys.map((k) => `'${k}'`).join(', ')}`
            : "'state' must be a JSON object",
      },
    )
    .check(
      z.superRefine((state, ctx) => {
        const bytes = new TextEncoder().encode(stringifyJson(state)).length;
        if (bytes > VIEW_STATE_MAX_BYTES)
          ctx.addIssue({
            code: 'custom',
            input: state,
            message: `it takes ${bytes} bytes as JSON; the limit is ${VIEW_STATE_MAX_BYTES}`,
          });
      }),
    );
}
/** What a view restores (see {@link viewStateSchema}). */
export type ViewState = z.infer<ReturnType<typeof viewStateSchema>>;
export type ViewSortKey = ViewState['sort'][number];

/**
 * The message of a refused view state: the version first, then unknown fields, then the first
 * field in document order (as `'state.sort[0].id' must be a string`).
 */
function describeViewStateIssues(issues: readonly DocumentIssue[]): string {
  const iss =
    issues.find((i) => i.path[0] === 'version') ??
    issues.find((i) => i.path.length === 0 && i.code === 'unrecognized_keys') ??
    issues[0];
  // Whole-document issues (not an object, unknown fields, too large) carry their sentence.
  if (iss.path.length === 0) return `Invalid view state: ${iss.message}.`;
  const path = iss.code === 'unrecognized_keys' ? [...iss.path, iss.keys[0]] : iss.path;
  return `Invalid view state: '${fieldName('state', path)}' must be ${iss.message}.`;
}

/**
 * Validates a view state document and fills absent fields with their defaults. Unknown top-level
 * fields, wrong types, an unknown `version` and documents over {@link VIEW_STATE_MAX_BYTES} are
 * rejected with INVALID_PARAMETER_VALUE.
 */
export function parseViewState(input: unknown): ViewState {
  return parseDocument(viewStateSchema, input, describeViewStateIssues);
}
