import { type ArtifactStore, openArtifactStore } from '@trove/artifacts';
import { createApp, parseServerConfig } from '@trove/server';
import { createRunDataWriter, findWorkspaceByName, openStore, type RunDataWriter, type Store } from '@trove/store';

/** Where an import writes: a Trove database and artifact destination, given as to `trove server`. */
export interface TroveTarget {
  readonly description: string;
  readonly store: Store;
  readonly artifacts: ArtifactStore;
  readonly writer: RunDataWriter;
  readonly workspace: { id: number; name: string; defaultExperimentId: number };
  close(): Promise<void>;
}

export interface TargetOptions {
  backendStoreUri?: string;
  artifactsDestination?: string;
  workspace?: string;
}

/**
 * Opens (and migrates) the target store. Starting the app once creates the `default` workspace on a
 * fresh database, exactly as `trove server` would; other workspaces must exist (`trove workspace create`).
 */
export async function openTroveTarget(options: TargetOptions): Promise<TroveTarget> {
  const config = parseServerConfig({
    backendStoreUri: options.backendStoreUri,
    artifactsDestination: options.artifactsDestination,
    auth: false,
  });
  const store = await openStore(config.backendStoreUri);
  try {
    const app = await createApp({ config, store, logger: false });
    await app.close();
    const name = options.workspace ?? 'default';
    const ws = await findWorkspaceByName(store.db, name);
    if (!ws || ws.default_experiment_id === null)
      throw new Error(
        `workspace '${name}' does not exist in the target: create it with \`trove workspace create ${name}\``,
      );
    return {
      description: `${config.backendStoreUri.replace(/\/\/[^@/]*@/, '//')} + ${config.artifactsDestination}`,
      store,
      artifacts: openArtifactStore(config.artifactsDestination),
      writer: createRunDataWriter(store),
      workspace: { id: Number(ws.id), name, defaultExperimentId: Number(ws.default_experiment_id) },
      close: () => store.close(),
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
