import type { Command } from 'commander';
import { type ClientOptions, clientFlags, httpClientOf } from './client-options.ts';

/** A deployment as the server answers it (`@trove/protocol`'s `Deployments.Deployment`). */
interface Deployment {
  deployment_id: string;
  name: string;
  version: string;
  environment: string;
  status: string;
  url?: string;
  user_id?: string;
  time: number;
  current: boolean;
}

/** `trove deployments record|list`: what a CD pipeline runs after it deploys a model version. */
export function registerDeploymentCommands(program: Command): void {
  const deployments = program.command('deployments').description('Record and list deployments of model versions');
  clientFlags(
    deployments
      .command('record')
      .description('Record that a model version was deployed to an environment')
      .requiredOption('--model <name>', 'registered model')
      .requiredOption('--version <n>', 'model version')
      .requiredOption('--env <environment>', 'environment (prod, staging, …)')
      .option('--status <status>', 'running | stopped | failed', 'running')
      .option('--url <url>', "the deployment's URL")
      .option('--description <text>', 'a note'),
  ).action(
    async (
      opts: ClientOptions & {
        model: string;
        version: string;
        env: string;
        status: string;
        url?: string;
        description?: string;
      },
    ) => {
      const { deployment } = await httpClientOf(opts).post<{ deployment: Deployment }>('/api/trove/v1/deployments', {
        name: opts.model,
        version: opts.version,
        environment: opts.env,
        status: opts.status,
        url: opts.url,
        description: opts.description,
      });
      console.log(
        `Recorded deployment ${deployment.deployment_id}: ${deployment.name} version ${deployment.version} → ${deployment.environment} (${deployment.status})`,
      );
    },
  );
  clientFlags(
    deployments
      .command('list')
      .description("A model's deployments: the current one of each environment first, then the history")
      .requiredOption('--model <name>', 'registered model'),
  ).action(async (opts: ClientOptions & { model: string }) => {
    const { deployments: list } = await httpClientOf(opts).get<{ deployments: Deployment[] }>(
      `/api/trove/v1/registered-models/${encodeURIComponent(opts.model)}/deployments`,
    );
    console.log(['environment', 'version', 'status', 'time', 'user', 'url', 'current'].join('\t'));
    for (const d of list)
      console.log(
        [
          d.environment,
          d.version,
          d.status,
          new Date(d.time).toISOString(),
          d.user_id ?? '',
          d.url ?? '',
          d.current ? 'current' : '',
        ].join('\t'),
      );
  });
}
