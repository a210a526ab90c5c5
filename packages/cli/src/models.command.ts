import type { ModelVersion, RegisteredModel } from '@trove/protocol';
import { policyProtects, type ReviewClient, TroveError } from '@trove/sdk';
import type { Command } from 'commander';
import { type ClientOptions, clientsOf, readFlags } from './client-options.ts';
import { parseDuration } from './duration.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { downloadModelVersion, resolveVersion } from './model-download.ts';
import { formatTime, printJson, printTable } from './output.ts';
import { type TargetFlags, targetOf, type WaitFlags, waitFlags } from './review.command.ts';
import { describeRequest, reportWait, waitForReview } from './review-wait.ts';

async function take<T>(items: AsyncIterable<T>, max: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

function maxOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`--max-results must be a positive integer, got '${text}'.`, EXIT.USAGE);
  return n;
}

const quoted = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const aliasesOf = (m: RegisteredModel) => (m.aliases ?? []).map((a) => `@${a.alias}=v${a.version}`).join(' ');

function printVersions(versions: ModelVersion[]): void {
  printTable(
    ['version', 'stage', 'aliases', 'run_id', 'created', 'source'],
    versions.map((v) => [
      v.version,
      v.current_stage,
      (v.aliases ?? []).map((a) => `@${a}`).join(' '),
      v.run_id,
      formatTime(v.creation_timestamp),
      v.source,
    ]),
  );
}

/**
 * A refusal of a direct stage or alias change, restated when the model's review policy is what
 * refused it (exit 4, naming the way through); any other PERMISSION_DENIED stays an auth failure.
 */
async function policyRefusal(
  e: unknown,
  reviews: ReviewClient,
  name: string,
  kind: 'stage' | 'alias',
  target: string,
): Promise<unknown> {
  if (!(e instanceof TroveError) || e.code !== 'PERMISSION_DENIED') return e;
  const rules = await reviews.getPolicy(name).catch(() => []);
  if (!policyProtects(rules, kind, target)) return e;
  return new CliError(
    `${e.message}\nRequest it instead: trove models promote ${name} <version> --${kind} ${target}`,
    EXIT.REFUSED,
  );
}

/** `trove models list|get|versions|promote|alias|download`. */
export function registerModelCommands(program: Command): void {
  const models = program.command('models').description('Read registered models, promote versions, download them');

  readFlags(
    models
      .command('list')
      .description('Registered models with their aliases and latest version per stage')
      .option('--filter <expr>', 'e.g. "name LIKE \'fraud%\'"')
      .option('--max-results <n>', 'most models to print', '100'),
  ).action(async (opts: ClientOptions & { filter?: string; maxResults: string }) => {
    const list = await take(
      clientsOf(opts).registry.iterateRegisteredModels({ filter: opts.filter }),
      maxOf(opts.maxResults),
    );
    if (opts.json) return printJson({ registered_models: list });
    printTable(
      ['name', 'latest', 'aliases', 'updated'],
      list.map((m) => [
        m.name,
        (m.latest_versions ?? []).map((v) => `v${v.version} ${v.current_stage}`).join(', '),
        aliasesOf(m),
        formatTime(m.last_updated_timestamp),
      ]),
    );
  });

  readFlags(models.command('get').description('A registered model').argument('<name>')).action(
    async (name: string, opts: ClientOptions) => {
      const model = await clientsOf(opts).registry.getRegisteredModel(name);
      if (opts.json) return printJson({ registered_model: model });
      printTable(
        ['field', 'value'],
        [
          ['name', model.name],
          ['description', model.description],
          ['aliases', aliasesOf(model)],
          ['created', formatTime(model.creation_timestamp)],
          ['updated', formatTime(model.last_updated_timestamp)],
          ...(model.tags ?? []).map((t) => [`tag ${t.key}`, t.value]),
        ],
      );
      if ((model.latest_versions ?? []).length > 0) {
        process.stdout.write('\n');
        printVersions(model.latest_versions ?? []);
      }
    },
  );

  readFlags(
    models
      .command('versions')
      .description("A model's versions, newest first")
      .argument('<name>')
      .option('--max-results <n>', 'most versions to print', '100'),
  ).action(async (name: string, opts: ClientOptions & { maxResults: string }) => {
    const { registry } = clientsOf(opts);
    // The model first, so a wrong name is "not found" rather than an empty list.
    await registry.getRegisteredModel(name);
    const versions = await take(
      registry.iterateModelVersions({ filter: `name = ${quoted(name)}`, orderBy: ['version_number DESC'] }),
      maxOf(opts.maxResults),
    );
    if (opts.json) printJson({ model_versions: versions });
    else printVersions(versions);
  });

  waitFlags(
    readFlags(
      models
        .command('promote')
        .description(
          'Move a version to a stage or point an alias at it. Where a review policy protects the target, ' +
            'a review request is made instead (exit 0; with --wait: 0 approved, 6 rejected, 7 timed out); ' +
            'with --no-review that is a refusal (exit 4).',
        )
        .argument('<name>')
        .argument('<version>')
        .option('--stage <stage>', 'Staging | Production | Archived | None')
        .option('--archive-existing', 'with --stage: archive the versions now in that stage')
        .option('--alias <alias>', 'point this alias at the version')
        .option('--comment <text>', 'why (shown to reviewers)')
        .option('--no-review', 'never request a review: exit 4 where one is needed')
        .option('--wait', 'after requesting a review, wait for its decision'),
    ),
  ).action(
    async (
      name: string,
      version: string,
      opts: ClientOptions & TargetFlags & WaitFlags & { comment?: string; review: boolean; wait?: boolean },
    ) => {
      const target = targetOf(opts);
      const timeout = parseDuration(opts.timeout);
      const interval = Math.max(100, parseDuration(opts.interval));
      const { registry, reviews } = clientsOf(opts);
      const [kind, value] = 'stage' in target ? (['stage', target.stage] as const) : (['alias', target.alias] as const);
      if (policyProtects(await reviews.getPolicy(name), kind, value)) {
        if (!opts.review)
          throw new CliError(
            `The review policy of '${name}' protects ${kind} '${value}': promoting needs an approved review request (drop --no-review to make one).`,
            EXIT.REFUSED,
          );
        const request = await reviews.createRequest(name, version, target, opts.comment);
        if (!opts.wait) {
          if (opts.json) return printJson({ outcome: 'requested', request });
          console.log(
            `${describeRequest(request)}\nWait for it: trove review wait ${request.request_id} --model ${name}`,
          );
          return;
        }
        if (!opts.json) console.log(describeRequest(request));
        return reportWait(await waitForReview(reviews, name, request.request_id, timeout, interval), opts.json);
      }
      try {
        let mv: ModelVersion;
        if ('stage' in target)
          mv = await registry.transitionStage(name, version, target.stage, target.archiveExistingVersions);
        else {
          await registry.setAlias(name, target.alias, version);
          mv = await registry.getModelVersion(name, version);
        }
        if (opts.json) return printJson({ outcome: 'applied', model_version: mv });
        console.log(
          `Promoted ${name} version ${mv.version}: ${kind} ${kind === 'alias' ? `@${value}` : mv.current_stage}`,
        );
      } catch (e) {
        throw await policyRefusal(e, reviews, name, kind, value);
      }
    },
  );

  readFlags(
    models
      .command('alias')
      .description('Point an alias at a version, or remove it (--delete); exit 4 where a review policy protects it')
      .argument('<name>')
      .argument('<alias>')
      .argument('[version]')
      .option('--delete', 'remove the alias'),
  ).action(
    async (name: string, alias: string, version: string | undefined, opts: ClientOptions & { delete?: boolean }) => {
      if (!opts.delete === (version === undefined))
        throw new CliError('Give a version to set the alias, or --delete to remove it (not both).', EXIT.USAGE);
      const { registry, reviews } = clientsOf(opts);
      try {
        if (opts.delete) await registry.deleteAlias(name, alias);
        else await registry.setAlias(name, alias, version as string);
      } catch (e) {
        throw await policyRefusal(e, reviews, name, 'alias', alias);
      }
      if (opts.json) return printJson({ name, alias, version: opts.delete ? null : version });
      console.log(opts.delete ? `Removed alias @${alias} of ${name}.` : `${name}@${alias} → version ${version}`);
    },
  );

  readFlags(
    models
      .command('download')
      .description("Download a version's files through the server's artifact proxy")
      .argument('<name>')
      .argument('[version]', 'a version number or @alias')
      .option('--stage <stage>', 'the newest version in this stage')
      .requiredOption('--dest <dir>', 'local directory to write into'),
  ).action(async (name: string, ref: string | undefined, opts: ClientOptions & { stage?: string; dest: string }) => {
    const { tracking, registry } = clientsOf(opts);
    const mv = await resolveVersion(registry, name, ref, opts.stage);
    const files = await downloadModelVersion(tracking, registry, mv, opts.dest);
    if (opts.json) return printJson({ name, version: mv.version, files });
    printTable(
      ['path', 'bytes'],
      files.map((f) => [f.local_path, f.bytes]),
    );
  });
}
