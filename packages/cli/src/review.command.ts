import type { ReviewTarget } from '@trove/sdk';
import type { Command } from 'commander';
import { type ClientOptions, clientsOf, readFlags } from './client-options.ts';
import { parseDuration } from './duration.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { printJson } from './output.ts';
import { describeRequest, reportWait, waitForReview } from './review-wait.ts';

export interface TargetFlags {
  stage?: string;
  alias?: string;
  archiveExisting?: boolean;
}

/** `--stage S [--archive-existing]` or `--alias A`: exactly one. */
export function targetOf(opts: TargetFlags, removeAlias = false): ReviewTarget {
  if (!opts.stage === !opts.alias) throw new CliError('Give exactly one of --stage or --alias.', EXIT.USAGE);
  return opts.stage
    ? { stage: opts.stage, archiveExistingVersions: opts.archiveExisting }
    : { alias: opts.alias as string, removeAlias };
}

export interface WaitFlags {
  timeout: string;
  interval: string;
}

export const waitFlags = (cmd: Command) =>
  cmd
    .option('--timeout <duration>', 'give up after this long (30s, 10m, 1h): exit 7', '10m')
    .option('--interval <duration>', 'how often to ask', '3s');

/** `trove review request|wait|approve|reject`: Trove's review flow for stage and alias changes. */
export function registerReviewCommands(program: Command): void {
  const review = program
    .command('review')
    .description('Request, wait for and decide reviews of stage and alias changes (docs/ci-pipeline-guide.md)');

  readFlags(
    review
      .command('request')
      .description('Ask for a stage transition or an alias change of a model version; prints the request id')
      .argument('<model>')
      .argument('<version>')
      .option('--stage <stage>', 'Staging | Production | Archived | None')
      .option('--archive-existing', 'with --stage: archive the versions now in that stage')
      .option('--alias <alias>', 'point this alias at the version')
      .option('--remove-alias', 'with --alias: remove the alias instead')
      .option('--comment <text>', 'why'),
  ).action(
    async (
      model: string,
      version: string,
      opts: ClientOptions & TargetFlags & { removeAlias?: boolean; comment?: string },
    ) => {
      const request = await clientsOf(opts).reviews.createRequest(
        model,
        version,
        targetOf(opts, opts.removeAlias),
        opts.comment,
      );
      if (opts.json) printJson({ request });
      else
        console.log(
          `${describeRequest(request)}\nWait for it: trove review wait ${request.request_id} --model ${model}`,
        );
    },
  );

  waitFlags(
    readFlags(
      review
        .command('wait')
        .description(
          'Wait until a review request is decided: exit 0 approved, 6 rejected, 7 timed out, 4 cancelled or failed',
        )
        .argument('<request-id>')
        .requiredOption('--model <name>', 'the registered model the request is about'),
    ),
  ).action(async (requestId: string, opts: ClientOptions & WaitFlags & { model: string }) => {
    const timeout = parseDuration(opts.timeout);
    const interval = Math.max(100, parseDuration(opts.interval));
    reportWait(await waitForReview(clientsOf(opts).reviews, opts.model, requestId, timeout, interval), opts.json);
  });

  for (const decision of ['approve', 'reject'] as const) {
    readFlags(
      review
        .command(decision)
        .description(`${decision === 'approve' ? 'Approve' : 'Reject'} a review request (not your own)`)
        .argument('<request-id>')
        .requiredOption('--model <name>', 'the registered model the request is about')
        .option('--comment <text>', 'why'),
    ).action(async (requestId: string, opts: ClientOptions & { model: string; comment?: string }) => {
      const request = await clientsOf(opts).reviews.decide(opts.model, requestId, decision, opts.comment);
      if (opts.json) printJson({ request });
      else console.log(describeRequest(request));
    });
  }
}
