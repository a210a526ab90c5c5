import { safeArtifactPath } from '@trove/artifacts';
import { type Decoded, decodeBody, type MessageSpec, parseJson, Registry, type Run, Tracking } from '@trove/protocol';
import type { GraphQLFieldResolver } from 'graphql';
import * as access from '../auth/route-access.ts';
import { searchDatasets } from '../services/dataset-search.ts';
import { runIdOf } from '../services/run.service.ts';
import type { GraphqlContext } from './context.ts';
import { snakeKeys } from './proto-fields.ts';

type Resolver = GraphQLFieldResolver<
  unknown,
  GraphqlContext,
  { input?: Record<string, unknown> | null; inputString?: string | null }
>;

/**
 * A root field that mirrors a REST request: its `input` is decoded with that request's decoder
 * (same checks, same messages), then checked with that route's access (`auth/route-access.ts`),
 * then resolved. Searches are `filtered`: they narrow their results to what the caller may read.
 */
function mirror<M extends MessageSpec>(
  spec: M,
  rule: access.Access,
  resolve: (input: Decoded<M>, ctx: GraphqlContext) => Promise<unknown>,
): Resolver {
  return async (_root, { input }, ctx) => {
    const decoded = decodeBody(spec, snakeKeys(input));
    await ctx.authorize(rule, decoded as Record<string, unknown>);
    return resolve(decoded, ctx);
  };
}

/** The root fields; every one of them passes {@link mirror}, so none answers without its access check. */
export const ROOT_RESOLVERS: Record<'Query' | 'Mutation', Record<string, Resolver>> = {
  Query: {
    mlflowGetExperiment: mirror(Tracking.GetExperiment, access.experiment('read'), async (req, ctx) => ({
      experiment: await ctx.services.experiments.get(ctx.workspace, req.experiment_id),
    })),
    mlflowGetRun: mirror(Tracking.RunRef, access.run('read'), async (req, ctx) => ({
      run: await ctx.services.runs.get(ctx.workspace, runIdOf(req)),
    })),
    mlflowGetMetricHistoryBulkInterval: mirror(
      Tracking.GetMetricHistoryBulkInterval,
      access.run('read', access.field('run_ids')),
      async (req, ctx) => parseJson((await ctx.services.metricHistory.bulkInterval(ctx.workspace, req)).text),
    ),
    mlflowListArtifacts: mirror(Tracking.ListArtifacts, access.run('read'), async (req, ctx) =>
      ctx.services.artifacts.listRun(
        ctx.workspace,
        runIdOf(req),
        safeArtifactPath(req.path ?? '', { encoded: false, allowEmpty: true }),
      ),
    ),
    mlflowSearchModelVersions: mirror(Registry.SearchModelVersions, access.FILTERED, async (req, ctx) => {
      const { versions, nextPageToken } = await ctx.services.modelVersions.search(
        ctx.workspace,
        req,
        await ctx.visibleModels(),
      );
      return { model_versions: versions, next_page_token: nextPageToken };
    }),
    test: (_root, { inputString }) => ({ output: inputString ?? null }),
  },
  Mutation: {
    mlflowSearchRuns: mirror(Tracking.SearchRuns, access.FILTERED, async (req, ctx) => {
      const { runs, nextPageToken } = await ctx.services.runs.search(
        ctx.workspace,
        req,
        await ctx.visibleExperiments(),
      );
      return { runs, next_page_token: nextPageToken };
    }),
    // The checks of the REST route (routes/runs.routes.ts), which keeps them outside the service.
    mlflowSearchDatasets: mirror(
      Tracking.SearchDatasets,
      access.experiment('read', access.field('experiment_ids')),
      async (req, ctx) => ({
        dataset_summaries: await searchDatasets(ctx.services, ctx.workspace, req.experiment_ids ?? []),
      }),
    ),
    // MLflow's schema declares this echo but never wires it (it always answers null); Trove echoes.
    testMutation: (_root, { inputString }) => ({ output: inputString ?? null }),
  },
};

/**
 * `MlflowRunExtension`'s two fields beyond the protobuf run. The run itself was read through a
 * checked root field, so its experiment is readable; its model versions are filtered per model
 * (MLflow leaked them: GHSA-f253-vggg-rwh8).
 */
export const RUN_RESOLVERS: Record<'experiment' | 'modelVersions', GraphQLFieldResolver<Run, GraphqlContext>> = {
  experiment: (run, _args, ctx) => ctx.experiment(run.info.experiment_id),
  modelVersions: (run, _args, ctx) => ctx.modelVersionsOf(run.info.run_id),
};
