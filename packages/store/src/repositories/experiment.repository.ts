import type { Experiment } from '@trove/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Database, ExperimentTable } from '../schema.ts';

export type ExperimentRow = Selectable<ExperimentTable>;

export function findExperiment(db: Kysely<Database>, id: number): Promise<ExperimentRow | undefined> {
  return db.selectFrom('experiments').selectAll().where('experiment_id', '=', id).executeTakeFirst();
}

export function findExperimentByName(db: Kysely<Database>, workspaceId: number, name: string): Promise<ExperimentRow | undefined> {
  return db.selectFrom('experiments').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
}

export async function experimentTags(db: Kysely<Database>, ids: number[]): Promise<Map<number, { key: string; value: string }[]>> {
  const out = new Map<number, { key: string; value: string }[]>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('experiment_tags').select(['experiment_id', 'key', 'value']).where('experiment_id', 'in', ids).orderBy('key').execute();
  for (const r of rows) {
    const list = out.get(r.experiment_id) ?? [];
    list.push({ key: r.key, value: r.value });
    out.set(r.experiment_id, list);
  }
  return out;
}

export function toExperiment(row: ExperimentRow, tags: { key: string; value: string }[] | undefined): Experiment {
  const e: Experiment = {
    experiment_id: String(row.experiment_id),
    name: row.name,
    artifact_location: row.artifact_location,
    lifecycle_stage: row.lifecycle_stage as Experiment['lifecycle_stage'],
    last_update_time: row.last_update_time,
    creation_time: row.creation_time,
  };
  if (tags && tags.length > 0) e.tags = tags;
  return e;
}

export async function loadExperiments(db: Kysely<Database>, rows: ExperimentRow[]): Promise<Experiment[]> {
  const tags = await experimentTags(
    db,
    rows.map((r) => r.experiment_id),
  );
  return rows.map((r) => toExperiment(r, tags.get(r.experiment_id)));
}
