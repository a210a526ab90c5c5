import { safeArtifactPath } from '@trove/artifacts';
import { decodeBody, type MessageSpec, parseJson, Registry, type Run, Tracking } from '@trove/protocol';
import type { GraphQLFieldResolver } from 'graphql';
import { searchDatasets } from '../services/dataset-search.ts';
import { runIdOf } from '../services/run.service.ts';
import type { GraphqlContext } from './context.ts';
import { snakeKeys } from './proto-fields.ts';

type Resolver = GraphQLFieldResolver<
  unknown,
  GraphqlContext,
  { input?: Record<string, unknown> | null; inputString?: string | null }
>;

/** Decodes a GraphQL `input` with the decoder of the REST request it mirrors (same checks, same messages). */
function decode<M extends MessageSpec>(spec: M, input: Record<string, unknown> | null | undefined) {
  return decodeBody(spec, snakeKeys(input));
}

/** The root fields: each reads its input as the REST endpoint does and calls the same service. */
export const ROOT_RESOLVERS: Record<'Query' | 'Mutation', Record<string, Resolver>> = {
  Query: {
    mlflowGetExperiment: async (_root, { input }, { services, workspace }) => {
      const { experiment_id } = decode(Tracking.GetExperiment, input);
      return { experiment: await services.experiments.get(workspace, experiment_id) };
    },
    mlflowGetRun: async (_root, { input }, { services, workspace }) => ({
      run: await services.runs.get(workspace, runIdOf(decode(Tracking.RunRef, input))),
    }),
    mlflowGetMetricHistoryBulkInterval: async (_root, { input }, { services, workspace }) => {
      const answer = await services.metricHistory.bulkInterval(
        workspace,
        decode(Tracking.GetMetricHistoryBulkInterval, input),
      );
      return parseJson(answer.text);
    },
    mlflowListArtifacts: async (_root, { input }, { services, workspace }) => {
      const req = decode(Tracking.ListArtifacts, input);
      return services.artifacts.listRun(
        workspace,
        runIdOf(req),
        safeArtifactPath(req.path ?? '', { encoded: false, allowEmpty: true }),
      );
    },
    mlflowSearchModelVersions: async (_root, { input }, { services, workspace }) => {
      const { versions, nextPageToken } = await services.modelVersions.search(
        workspace,
        decode(Registry.SearchModelVersions, input),
      );
      return { model_versions: versions, next_page_token: nextPageToken };
    },
    test: (_root, { inputString }) => ({ output: inputString ?? null }),
  },
  Mutation: {
    mlflowSearchRuns: async (_root, { input }, { services, workspace }) => {
      const { runs, nextPageToken } = await services.runs.search(workspace, decode(Tracking.SearchRuns, input));
      return { runs, next_page_token: nextPageToken };
    },
    // The checks of the REST route (routes/runs.routes.ts), which keeps them outside the service.
    mlflowSearchDatasets: async (_root, { input }, { services, workspace }) => ({
      dataset_summaries: await searchDatasets(
        services,
        workspace,
        decode(Tracking.SearchDatasets, input).experiment_ids ?? [],
      ),
    }),
    // MLflow's schema declares this echo but never wires it (it always answers null); Trove echoes.
    testMutation: (_root, { inputString }) => ({ output: inputString ?? null }),
  },
};

/** `MlflowRunExtension`'s two fields beyond the protobuf run. */
export const RUN_RESOLVERS: Record<'experiment' | 'modelVersions', GraphQLFieldResolver<Run, GraphqlContext>> = {
  experiment: (run, _args, ctx) => ctx.experiment(run.info.experiment_id),
  modelVersions: (run, _args, ctx) => ctx.modelVersionsOf(run.info.run_id),
};
