import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';

/** Asks the database for `SELECT 1`: resolves when it answers (the readiness check). */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

/** How many webhook deliveries the outbox holds in each status (statuses with none are left out). */
export async function countWebhookDeliveriesByStatus(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** How many webhook deliveries are still pending (the outbox queue depth). */
export async function countPendingWebhookDeliveries(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
