import { type Kysely, type SqlBool, sql } from 'kysely';
import type { ExperimentKeyTable } from '../experiment-keys.ts';
import type { Database } from '../schema.ts';
import { type Visibility, visibilityWhere } from '../search/visibility.ts';

/** `%text%` for a case-insensitive LIKE, with the pattern characters of `text` escaped. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Every row, or the rows a visibility admits. */
const visibleTo = <T extends number | string>(column: string, v: Visibility<T> | undefined) =>
  visibilityWhere(sql.ref(column), v) ?? sql<SqlBool>`1 = 1`;

/** `lower(column) LIKE '%text%'`, case-insensitive on both dialects. */
function nameContains(column: string, text: string) {
  return sql<boolean>`lower(${sql.ref(column)}) LIKE ${containsPattern(text)} ESCAPE '\\'`;
}

export interface ExperimentNameMatch {
  experiment_id: number;
  name: string;
}

export interface RegisteredModelNameMatch {
  name: string;
}

export interface RunNameMatch {
  run_uuid: string;
  name: string;
  experiment_id: number;
  experiment_name: string;
}

/** Active experiments of the workspace whose name contains `text`, shortest names first, then by name. */
export async function searchExperimentNames(
  db: Kysely<Database>,
  workspaceId: number,
  text: string,
  limit: number,
  visible?: Visibility<number>,
): Promise<ExperimentNameMatch[]> {
  const rows = await db
    .selectFrom('experiments')
    .select(['experiment_id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('lifecycle_stage', '=', 'active')
    .where(visibleTo('experiment_id', visible))
    .where(nameContains('name', text))
    .orderBy(sql`length(name)`)
    .orderBy('name')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ experiment_id: r.experiment_id, name: r.name }));
}

/** Registered models of the workspace whose name contains `text`, shortest names first, then by name. */
export async function searchRegisteredModelNames(
  db: Kysely<Database>,
  workspaceId: number,
  text: string,
  limit: number,
  visible?: Visibility<string>,
): Promise<RegisteredModelNameMatch[]> {
  const rows = await db
    .selectFrom('registered_models')
    .select(['name'])
    .where('workspace_id', '=', workspaceId)
    .where(visibleTo('name', visible))
    .where(nameContains('name', text))
    .orderBy(sql`length(name)`)
    .orderBy('name')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ name: r.name }));
}

/** Active runs in the workspace whose name contains `text`, with their experiment's name, shortest names first, then by name. */
export async function searchRunNames(
  db: Kysely<Database>,
  workspaceId: number,
  text: string,
  limit: number,
  visible?: Visibility<number>,
): Promise<RunNameMatch[]> {
  const rows = await db
    .selectFrom('runs as r')
    .innerJoin('experiments as e', 'e.experiment_id', 'r.experiment_id')
    .select(['r.run_uuid', 'r.name', 'r.experiment_id', 'e.name as experiment_name'])
    .where('e.workspace_id', '=', workspaceId)
    .where('r.lifecycle_stage', '=', 'active')
    .where(visibleTo('r.experiment_id', visible))
    .where(nameContains('r.name', text))
    .orderBy(sql`length(r.name)`)
    .orderBy('r.name')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    run_uuid: r.run_uuid,
    name: r.name,
    experiment_id: r.experiment_id,
    experiment_name: r.experiment_name,
  }));
}

export interface ExperimentKeyMatch {
  kind: 'metric' | 'param';
  key: string;
  experiment_id: number;
  experiment_name: string;
}

/**
 * Metric and param keys that runs of the workspace's active experiments have logged (the
 * experiment key registry, `experiment-keys.ts`) containing `text`: one hit per key and
 * experiment, shortest keys first, then by key, kind and experiment name.
 */
export async function searchExperimentKeyNames(
  db: Kysely<Database>,
  workspaceId: number,
  text: string,
  limit: number,
  visible?: Visibility<number>,
): Promise<ExperimentKeyMatch[]> {
  const rows = await db
    .withTables<{ experiment_keys: ExperimentKeyTable }>()
    .selectFrom('experiment_keys as k')
    .innerJoin('experiments as e', 'e.experiment_id', 'k.experiment_id')
    .select(['k.kind', 'k.key', 'k.experiment_id', 'e.name as experiment_name'])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.lifecycle_stage', '=', 'active')
    .where('k.kind', 'in', ['metric', 'param'])
    .where(visibleTo('k.experiment_id', visible))
    .where(nameContains('k.key', text))
    .orderBy(sql`length(k.key)`)
    .orderBy('k.key')
    .orderBy('k.kind')
    .orderBy('e.name')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    kind: r.kind as ExperimentKeyMatch['kind'],
    key: r.key,
    experiment_id: r.experiment_id,
    experiment_name: r.experiment_name,
  }));
}
