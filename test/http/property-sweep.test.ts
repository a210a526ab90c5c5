import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlflow, startServer, type TestServer } from '../support/server.ts';
import { answerProblem, describeFailure, JsonText, type Route, routeUrl, sendHostile } from '../support/sweep.ts';

// Property-based companion of bad-input-sweep: every RPC in the catalog gets generated hostile
// bodies (type-confused values, integers past 2^63 as raw number text, NaN/Infinity tokens,
// unicode, deep nesting, wrong shapes). Nothing may answer 5xx; every error is `{error_code,
// message}`. Fixed seed and bounded runs, so a failure reproduces and the test stays short.
// TROVE_SWEEP_RUNS / TROVE_SWEEP_SEED widen or vary a local run.
const SEED = Number(process.env.TROVE_SWEEP_SEED ?? 20_240_610);
const RUNS_PER_ROUTE = Number(process.env.TROVE_SWEEP_RUNS ?? 60);

let server: TestServer;
let runId: string;
const MODEL = 'sweep-model';

beforeAll(async () => {
  server = await startServer();
  const api = mlflow(server);
  runId = await api.createRun('0');
  // Something for bodies to find, so generated requests also reach past the lookups.
  await api.ok('POST', '/registered-models/create', { name: MODEL });
  await api.ok('POST', '/model-versions/create', { name: MODEL, source: `runs:/${runId}/model`, run_id: runId });
});
afterAll(() => server.close());

const INT64_EDGES = [
  2n ** 63n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  -(2n ** 63n) - 1n,
  2n ** 64n,
  -(2n ** 64n),
  10n ** 30n,
  2n ** 53n + 1n,
  2n ** 31n,
];
const NUMBER_TEXT = [
  '1e400',
  '-1e400',
  '-0',
  '1E-400',
  '123456789012345678901234567890.5',
  '9'.repeat(500),
  '0.0000000000000000000001',
];
const STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  'NaN',
  'Infinity',
  '-Infinity',
  'true',
  'null',
  '9'.repeat(30),
  '../../etc/passwd',
  '%2e%2e',
  'a'.repeat(300),
  'x'.repeat(70_000),
  '\u0000',
  '\ud800',
  '🙂'.repeat(50),
  'Ünïcødé ключ 鍵',
  "'; DROP TABLE runs; --",
  'metrics.x > 1',
  "attributes.status = 'FINISHED'",
  'm-0000',
  'models:/m/1',
];
/** Field names the services look for inside nested objects, and keys that trip naive code. */
const KEYS = [
  'key',
  'value',
  'timestamp',
  'step',
  'name',
  'run_id',
  'experiment_id',
  'tags',
  'params',
  'metrics',
  'version',
  'stage',
  'alias',
  'source',
  'digest',
  'dataset',
  'schema',
  'profile',
  'context',
  'model_id',
  'dataset_name',
  'dataset_digest',
  'entity',
  'action',
  'field_name',
  'ascending',
  'toString',
  'valueOf',
  'constructor',
  '__proto__',
];

function nested(depth: number, open: string, inner: string, close: string): JsonText {
  return new JsonText(open.repeat(depth) + inner + close.repeat(depth));
}

const leaf = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom(...STRINGS),
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
  fc.double(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.constantFrom(...INT64_EDGES),
  fc.constantFrom(...NUMBER_TEXT.map((t) => new JsonText(t))),
  fc.boolean(),
  fc.constant(null),
);

const deep = fc
  .tuple(
    fc.constantFrom(16, 64, 999, 1001, 50_000),
    fc.constantFrom('1', '12345678901234567890', 'NaN', '"s"'),
    fc.boolean(),
  )
  .map(([depth, inner, arrays]) => (arrays ? nested(depth, '[', inner, ']') : nested(depth, '{"key":', inner, '}')));

const trapObject = fc.constantFrom(
  new JsonText('{"__proto__":{"key":"k","value":1},"toString":1,"valueOf":{}}'),
  new JsonText('{"key":{"toString":"x"},"value":{"valueOf":1}}'),
);

const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

/** Any value: the type confusion. */
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: leaf },
    { weight: 2, arbitrary: tie('array') },
    { weight: 2, arbitrary: tie('object') },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: trapObject },
  ),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
}));

// Values of the right type with hostile contents, so requests also get past the decoder.
const someString = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('k', 'loss', 'a/b', '1', MODEL),
);
const someInt = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
  fc.constantFrom(...INT64_EDGES),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
);
const someDouble = fc.oneof(
  fc.double(),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1.5', ''),
  fc.constantFrom(...INT64_EDGES),
);
/** Objects shaped like MLflow's nested messages (metrics, tags, events, order_by), with hostile values. */
const someObject = fc.oneof(
  fc.record(
    { key: someString, value: fc.oneof(someDouble, someString), timestamp: someInt, step: someInt },
    { requiredKeys: [] },
  ),
  fc.record({ key: someString, value: someString }, { requiredKeys: [] }),
  fc.record({ entity: fc.oneof(someString, someInt), action: fc.oneof(someString, someInt) }, { requiredKeys: [] }),
  fc.record(
    { field_name: someString, ascending: fc.oneof(fc.boolean(), value), dataset_name: someString },
    { requiredKeys: [] },
  ),
  fc.dictionary(key, fc.oneof(leaf, value), { maxKeys: 6 }),
);

function typed(kind: unknown): fc.Arbitrary<unknown> {
  if (kind === 'string') return someString;
  if (kind === 'int64' || kind === 'int32') return someInt;
  if (kind === 'double') return someDouble;
  if (kind === 'bool') return fc.oneof(fc.boolean(), fc.constantFrom('true', 'false'));
  if (kind === 'object') return someObject;
  const values = (kind as { enum: readonly string[] }).enum;
  return fc.oneof(fc.constantFrom(...values), fc.integer({ min: -1, max: values.length + 1 }));
}

function fieldValue(spec: { kind: unknown; repeated?: boolean }): fc.Arbitrary<unknown> {
  const right = spec.repeated ? fc.array(typed(spec.kind), { maxLength: 5 }) : typed(spec.kind);
  return fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: value });
}

/**
 * A body for `route`: mostly its own fields (of the right type with hostile contents, or of any
 * type), often next to a real run, experiment and model version; sometimes any value at all.
 */
function bodyFor(route: Route): fc.Arbitrary<unknown> {
  const own = fc.record(Object.fromEntries(Object.entries(route.spec).map(([f, spec]) => [f, fieldValue(spec)])), {
    requiredKeys: [],
  });
  const anchored = fc
    .tuple(fc.boolean(), own)
    .map(([anchor, body]) =>
      anchor ? { run_id: runId, experiment_id: '0', name: MODEL, version: '1', ...body } : body,
    );
  return fc.oneof({ weight: 8, arbitrary: anchored }, { weight: 1, arbitrary: value });
}

const pathValue = fc.oneof(
  fc.constantFrom('m-0000', '0', '%2e%2e', 'x'.repeat(300), '9'.repeat(30)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
);

describe('generated hostile input never produces a 5xx', () => {
  it('property-sweeps every RPC in the catalog', async () => {
    expect(server.catalog.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const [i, route] of server.catalog.entries()) {
      const details = await fc.check(
        fc.asyncProperty(pathValue, bodyFor(route), async (p, body) => {
          const url = routeUrl(route, p);
          const res = await sendHostile(server, route, url, body);
          const problem = answerProblem(res);
          if (problem) throw new Error(describeFailure(route, url, body, res, problem));
        }),
        { seed: SEED + i, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      if (details.failed)
        failures.push(
          details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance),
        );
    }
    expect(failures).toEqual([]);
    expect((await server.call('GET', '/health')).status).toBe(200);
  }, 240_000);
});
