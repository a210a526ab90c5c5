import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, DeploymentTable } from '../schema.ts';

export type DeploymentRow = Selectable<DeploymentTable>;
export type NewDeployment = Insertable<DeploymentTable>;

export function insertDeployment(db: Kysely<Database>, row: NewDeployment): Promise<DeploymentRow> {
  return db.insertInto('deployments').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A model's deployment records, newest first. */
export function listDeployments(db: Kysely<Database>, modelId: number, limit: number): Promise<DeploymentRow[]> {
  return db
    .selectFrom('deployments')
    .selectAll()
    .where('model_id', '=', modelId)
    .orderBy('time', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The newest record of each environment of a model: what runs there now. Each environment's is
 * one seek down the `(model_id, environment, time, id)` index, however long the history.
 */
export function currentDeployments(db: Kysely<Database>, modelId: number): Promise<DeploymentRow[]> {
  return db
    .selectFrom('deployments as d')
    .selectAll('d')
    .where('d.model_id', '=', modelId)
    .where(({ eb, selectFrom }) =>
      eb(
        'd.id',
        '=',
        selectFrom('deployments as n')
          .select('n.id')
          .whereRef('n.model_id', '=', 'd.model_id')
          .whereRef('n.environment', '=', 'd.environment')
          .orderBy('n.time', 'desc')
          .orderBy('n.id', 'desc')
          .limit(1),
      ),
    )
    .orderBy('d.time', 'desc')
    .orderBy('d.id', 'desc')
    .execute();
}
