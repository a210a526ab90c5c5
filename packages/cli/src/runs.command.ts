import type { Run } from '@trove/protocol';
import type { TrackingClient } from '@trove/sdk';
import type { Command } from 'commander';
import { type ClientOptions, clientsOf, readFlags } from './client-options.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { formatTime, printJson, printTable } from './output.ts';

interface SearchFlags extends ClientOptions {
  experiment: string[];
  filter?: string;
  orderBy: string[];
  maxResults: string;
  view: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const VIEWS: Record<string, 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL'> = {
  active: 'ACTIVE_ONLY',
  deleted: 'DELETED_ONLY',
  all: 'ALL',
};

/** Experiment ids from ids or names (`123`, `fraud-detection`). */
async function experimentIds(client: TrackingClient, refs: string[]): Promise<string[]> {
  if (refs.length === 0) throw new CliError('Name at least one experiment: --experiment <id or name>.', EXIT.USAGE);
  return Promise.all(
    refs.map(async (ref) => (/^\d+$/.test(ref) ? ref : (await client.getExperimentByName(ref)).experiment_id)),
  );
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${flag} must be a positive integer, got '${text}'.`, EXIT.USAGE);
  return n;
}

/** Up to `--max-results` runs, in pages; `next_page_token` continues where the listing stopped. */
async function searchRuns(opts: SearchFlags) {
  const { tracking } = clientsOf(opts);
  const view = VIEWS[opts.view];
  if (!view) throw new CliError(`--view must be active, deleted or all, got '${opts.view}'.`, EXIT.USAGE);
  const max = positiveInt(opts.maxResults, '--max-results');
  const ids = await experimentIds(tracking, opts.experiment);
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await tracking.searchRuns({
      experimentIds: ids,
      filter: opts.filter,
      orderBy: opts.orderBy.length > 0 ? opts.orderBy : undefined,
      runViewType: view,
      maxResults: Math.min(1000, max - runs.length),
      pageToken,
    });
    runs.push(...page.runs);
    pageToken = page.nextPageToken;
  } while (pageToken && runs.length < max);
  return { runs, ...(pageToken ? { next_page_token: pageToken } : {}) };
}

/** `1h 02m`, `3m 05s`, `12.3s`; blank while running without an end. */
function duration(start: unknown, end: unknown): string {
  if (!start || !end) return '';
  const s = (Number(end) - Number(start)) / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

function printRuns(result: { runs: Run[]; next_page_token?: string }, json?: boolean): void {
  if (json) {
    printJson(result);
    return;
  }
  printTable(
    ['run_id', 'name', 'status', 'started', 'duration', 'experiment'],
    result.runs.map(({ info }) => [
      info.run_id,
      info.run_name,
      info.status,
      formatTime(info.start_time),
      duration(info.start_time, info.end_time),
      info.experiment_id,
    ]),
  );
  if (result.next_page_token) process.stderr.write('More runs match: raise --max-results to see them.\n');
}

function printRun(run: Run): void {
  const { info, data } = run;
  printTable(
    ['field', 'value'],
    [
      ['run_id', info.run_id],
      ['name', info.run_name],
      ['experiment', info.experiment_id],
      ['status', info.status],
      ['lifecycle', info.lifecycle_stage],
      ['user', info.user_id],
      ['started', formatTime(info.start_time)],
      ['ended', formatTime(info.end_time)],
      ['artifact_uri', info.artifact_uri],
    ],
  );
  const params = data?.params ?? [];
  if (params.length > 0) {
    process.stdout.write('\n');
    printTable(
      ['param', 'value'],
      params.map((p) => [p.key, p.value]),
    );
  }
  const metrics = data?.metrics ?? [];
  if (metrics.length > 0) {
    process.stdout.write('\n');
    printTable(
      ['metric', 'value', 'step'],
      metrics.map((m) => [m.key, String(m.value), String(m.step)]),
    );
  }
  const tags = data?.tags ?? [];
  if (tags.length > 0) {
    process.stdout.write('\n');
    printTable(
      ['tag', 'value'],
      tags.map((t) => [t.key, t.value]),
    );
  }
}

const searchFlags = (cmd: Command) =>
  readFlags(cmd)
    .option('-e, --experiment <id-or-name>', 'experiment to search (repeatable)', collect, [])
    .option('--order-by <clause>', "e.g. 'metrics.loss ASC' (repeatable)", collect, [])
    .option('--max-results <n>', 'most runs to print', '100')
    .option('--view <view>', 'active | deleted | all', 'active');

/** `trove runs list|get|search`. */
export function registerRunCommands(program: Command): void {
  const runs = program.command('runs').description("Read runs: list an experiment's, search with a filter, get one");
  searchFlags(runs.command('list').description("An experiment's runs, newest first")).action(
    async (opts: SearchFlags) => printRuns(await searchRuns({ ...opts, filter: undefined }), opts.json),
  );
  searchFlags(
    runs
      .command('search')
      .description('Runs matching an MLflow filter')
      .requiredOption('--filter <expr>', `MLflow's search grammar, e.g. "metrics.auc > 0.9 and params.model = 'xgb'"`),
  ).action(async (opts: SearchFlags) => printRuns(await searchRuns(opts), opts.json));
  readFlags(runs.command('get').description('A run: info, params, latest metrics, tags').argument('<run-id>')).action(
    async (runId: string, opts: ClientOptions) => {
      const run = await clientsOf(opts).tracking.getRun(runId);
      if (opts.json) printJson({ run });
      else printRun(run);
    },
  );
}
