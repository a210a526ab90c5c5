import type { ImportModel } from '@trove/protocol';
import {
  findRegisteredModel,
  importedModelSummary,
  insertModelVersion,
  insertModelVersionTags,
  insertRegisteredModel,
  insertRegisteredModelTags,
  runInTransaction,
  upsertRegisteredModelAlias,
} from '@trove/store';
import { ImportConflict } from './import-conflict.ts';
import type { TroveTarget } from './trove-target.ts';

/** A run whose artifact root moved on import: version locations under it move with it. */
export type MovedRoots = Map<string, { from: string; to: string }>;

function moved(location: string | undefined, runId: string | undefined, roots: MovedRoots): string | undefined {
  const m = runId ? roots.get(runId) : undefined;
  if (location === undefined || !m || !location.startsWith(m.from)) return location;
  return m.to + location.slice(m.from.length);
}

/**
 * Writes a registered model with its versions (numbers, stages, sources, run ids, soft-deleted ones
 * included), tags and aliases in one transaction. A model of that name already in the workspace is
 * skipped when its versions match, else a conflict. Whether it was written.
 */
export async function writeModel(target: TroveTarget, m: ImportModel, roots: MovedRoots): Promise<boolean> {
  const ws = target.workspace;
  return runInTransaction(target.store, async (tx) => {
    const existing = await findRegisteredModel(tx, ws.id, m.model.name);
    if (existing) {
      const have = await importedModelSummary(tx, Number(existing.id));
      const same =
        have.versions.length === m.versions.length &&
        m.versions.every((v, i) => {
          const h = have.versions[i];
          return h.version === Number(v.version) && (h.run_id ?? undefined) === (v.run_id || undefined);
        });
      if (!same)
        throw new ImportConflict(
          `registered model '${m.model.name}' exists in workspace '${ws.name}' with other versions ` +
            `(${have.versions.map((v) => v.version).join(', ') || 'none'} vs ${m.versions.map((v) => v.version).join(', ')})`,
        );
      return false;
    }
    const maxVersion = m.versions.reduce((mx, v) => Math.max(mx, Number(v.version)), 0);
    const modelId = await insertRegisteredModel(tx, {
      workspace_id: ws.id,
      name: m.model.name,
      description: m.model.description ?? null,
      user_id: m.model.user_id ?? null,
      creation_time: Number(m.model.creation_timestamp),
      last_update_time: Number(m.model.last_updated_timestamp),
      next_version: maxVersion + 1,
    });
    await insertRegisteredModelTags(tx, modelId, new Map((m.model.tags ?? []).map((t) => [t.key, t.value])));
    for (const v of m.versions) {
      const version = Number(v.version);
      await insertModelVersion(tx, {
        model_id: modelId,
        version,
        creation_time: Number(v.creation_timestamp),
        last_update_time: Number(v.last_updated_timestamp),
        description: v.description ?? null,
        user_id: v.user_id ?? null,
        current_stage: v.current_stage,
        source: moved(v.source, v.run_id, roots) ?? '',
        storage_location: moved(v.storage_location, v.run_id, roots) ?? null,
        run_id: v.run_id ?? null,
        run_link: v.run_link ?? null,
        status_message: v.status_message ?? null,
        logged_model_id: v.model_id ?? null,
        deleted: v.deleted ? 1 : 0,
      });
      await insertModelVersionTags(tx, modelId, version, new Map((v.tags ?? []).map((t) => [t.key, t.value])));
    }
    for (const a of m.model.aliases ?? []) await upsertRegisteredModelAlias(tx, modelId, a.alias, Number(a.version));
    return true;
  });
}
