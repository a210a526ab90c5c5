import { bool, defineMessage, str, strList } from '../message.ts';

// Request and response messages of Trove's native tag management and bulk run API (/api/trove/v1).

/** Without `experiment_id`: every active run of the workspace. */
export const ListTagKeys = defineMessage({ experiment_id: str(), include_system: bool() });
export const RenameTagKey = defineMessage({ experiment_id: str(true), key: str(true), new_key: str(true) });
export const DeleteTagKey = defineMessage({ experiment_id: str(true), key: str(true) });
export const SetTagOnRuns = defineMessage({ run_ids: strList(), key: str(true), value: str() });
export const RunIds = defineMessage({ run_ids: strList() });
export const SetTagColor = defineMessage({ key: str(true), color: str(true) });
export const TagColorKey = defineMessage({ key: str(true) });

/** Most runs one bulk request may name. */
export const BULK_RUNS_MAX = 1000;

/** MLflow's system tags: listed only on request, and not renamed, deleted or set by the bulk API. */
export const SYSTEM_TAG_PREFIX = 'mlflow.';

// Responses.

/** One run tag key across an experiment's (or a workspace's) active runs. */
export interface TagKeySummary {
  key: string;
  /** Active runs carrying the key. */
  run_count: number;
  /** Distinct values among them. */
  value_count: number;
  /** Set only on MLflow's `mlflow.*` tags (listed with `include_system`). */
  system?: boolean;
  /** The key's colour in the workspace, when one is set (`#rrggbb`). */
  color?: string;
}

export interface ListTagKeysResponse {
  keys: TagKeySummary[];
}

/** A run tag key's colour, shared by the workspace; `#rrggbb`, lower case. */
export interface TagColor {
  key: string;
  color: string;
}

export interface ListTagColorsResponse {
  tag_colors: TagColor[];
}

export interface TagColorResponse {
  tag_color: TagColor;
}

/** What the bulk tag and run endpoints (rename, delete, set, runs delete/restore) answer. */
export interface RunsUpdatedResponse {
  runs_updated: number;
}
