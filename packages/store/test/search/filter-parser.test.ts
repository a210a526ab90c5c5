import { describe, expect, it } from 'vitest';
import { type FilterAst, parseFilter } from '../../src/search/index.ts';

const cmp = (kind: string, key: string, op: string, value: unknown) => ({
  type: 'comparison',
  kind,
  key,
  op,
  value,
  valueType: Array.isArray(value) ? 'list' : typeof value,
});

const RUN_VALID: [string, FilterAst | object][] = [
  ['', { type: 'all' }],
  [' \t\n ', { type: 'all' }],
  ['metrics.acc > 0.5', cmp('metric', 'acc', '>', 0.5)],
  ['metric.acc>=-1', cmp('metric', 'acc', '>=', -1)],
  ['metrics.loss < 1e-3', cmp('metric', 'loss', '<', 0.001)],
  ['metrics.loss <= -2.5E+2', cmp('metric', 'loss', '<=', -250)],
  ['metrics.x = .5', cmp('metric', 'x', '=', 0.5)],
  ['metrics.x != 1e999', cmp('metric', 'x', '!=', Number.MAX_VALUE)],
  ['metrics.`f1 score` = 1', cmp('metric', 'f1 score', '=', 1)],
  ['metrics."val.loss" < 2', cmp('metric', 'val.loss', '<', 2)],
  ['metrics.train/loss < 2', cmp('metric', 'train/loss', '<', 2)],
  ["params.lr = '0.01'", cmp('param', 'lr', '=', '0.01')],
  ['param.lr = "0.01"', cmp('param', 'lr', '=', '0.01')],
  ["parameter.model LIKE 'c%'", cmp('param', 'model', 'LIKE', 'c%')],
  ["parameters.model ilike 'C%'", cmp('param', 'model', 'ILIKE', 'C%')],
  ["tags.mlflow.runName = 'x'", cmp('tag', 'mlflow.runName', '=', 'x')],
  ['tags."mlflow.runName" = \'x\'', cmp('tag', 'mlflow.runName', '=', 'x')],
  ["tag.`mlflow.user` != 'me'", cmp('tag', 'mlflow.user', '!=', 'me')],
  ["tags.note = 'it''s'", cmp('tag', 'note', '=', "it's")],
  ["tags.note = 'it\\'s'", cmp('tag', 'note', '=', "it's")],
  ['tags.note = "say ""hi"""', cmp('tag', 'note', '=', 'say "hi"')],
  ["tags.path LIKE 'a\\%b'", cmp('tag', 'path', 'LIKE', 'a\\%b')],
  ["attributes.status = 'RUNNING'", cmp('attribute', 'status', '=', 'RUNNING')],
  ["status = 'ANYTHING'", cmp('attribute', 'status', '=', 'ANYTHING')],
  ["attr.user_id LIKE 'a%'", cmp('attribute', 'user_id', 'LIKE', 'a%')],
  ["run.artifact_uri = 's3://x'", cmp('attribute', 'artifact_uri', '=', 's3://x')],
  ["attribute.run_name = 'r'", cmp('attribute', 'run_name', '=', 'r')],
  ["`Run name` = 'r'", cmp('attribute', 'run_name', '=', 'r')],
  ["`run name` != 'r'", cmp('attribute', 'run_name', '!=', 'r')],
  ['"Run Name" = \'r\'', cmp('attribute', 'run_name', '=', 'r')],
  ['created >= 5', cmp('attribute', 'start_time', '>=', 5)],
  ['Created < 5', cmp('attribute', 'start_time', '<', 5)],
  ['attributes.end_time = 7', cmp('attribute', 'end_time', '=', 7)],
  ['run_id IN (\'abc\', "def")', cmp('attribute', 'run_id', 'IN', ['abc', 'def'])],
  ["attributes.run_id in ('abc', 'ABC', '123', 'a1')", cmp('attribute', 'run_id', 'IN', ['abc', 'a1'])],
  ["run_id NOT  in ('abc')", cmp('attribute', 'run_id', 'NOT IN', ['abc'])],
  ["datasets.name IN ('a', 'b')", cmp('dataset', 'name', 'IN', ['a', 'b'])],
  ["dataset.digest = 'd'", cmp('dataset', 'digest', '=', 'd')],
  ["datasets.context not in ('train')", cmp('dataset', 'context', 'NOT IN', ['train'])],
  [
    "metrics.a > 1 AND params.b = 'x' and tags.c = 'y'",
    { type: 'and', children: [cmp('metric', 'a', '>', 1), cmp('param', 'b', '=', 'x'), cmp('tag', 'c', '=', 'y')] },
  ],
  [
    "metrics.a > 1 OR params.b = 'x' AND tags.c = 'y'",
    {
      type: 'or',
      children: [
        cmp('metric', 'a', '>', 1),
        { type: 'and', children: [cmp('param', 'b', '=', 'x'), cmp('tag', 'c', '=', 'y')] },
      ],
    },
  ],
  [
    "(metrics.a > 1 or params.b = 'x') AND tags.c = 'y'",
    {
      type: 'and',
      children: [
        { type: 'or', children: [cmp('metric', 'a', '>', 1), cmp('param', 'b', '=', 'x')] },
        cmp('tag', 'c', '=', 'y'),
      ],
    },
  ],
  ['((metrics.a > 1))', cmp('metric', 'a', '>', 1)],
];

describe('parseFilter (runs) accepts', () => {
  it.each(RUN_VALID)('%s', (filter, ast) => {
    expect(parseFilter(filter, 'runs')).toEqual(ast);
  });
});

const RUN_INVALID: [string, RegExp][] = [
  ['params.lr = 0.01', /quoted string value for param 'lr'/],
  ['params.lr = abc', /unquoted string value 'abc'/],
  ["metrics.acc > '0.5'", /numeric value for metric 'acc'/],
  ["metrics.acc LIKE '0.5'", /comparator 'LIKE' is not supported for metric/],
  ['start_time LIKE 5', /comparator 'LIKE' is not supported for attribute 'start_time'/],
  ["start_time = '5'", /numeric value for attribute 'start_time'/],
  ['status = 5', /quoted string value for attribute 'status'/],
  ["params.lr RLIKE 'x'", /unsupported comparator 'RLIKE'/],
  ["params.lr == 'x'", /unsupported comparator '=='/],
  ["params.lr <> 'x'", /unsupported comparator '<>'/],
  ["params.lr ~ 'x'", /unexpected character '~'/],
  ["params.lr 'x'", /expected a comparison operator/],
  ["params.lr NOT LIKE 'x'", /NOT is only supported as 'NOT IN'/],
  ["params.lr IN ('x')", /comparator 'IN' is not supported for param 'lr'/],
  ["status IN ('RUNNING')", /comparator 'IN' is not supported for attribute 'status'/],
  ['run_id IN ()', /at least one quoted string/],
  ["run_id IN ('a',)", /IN list values must be quoted strings/],
  ['run_id IN (1, 2)', /IN list values must be quoted strings/],
  ["run_id IN 'a'", /expected '\(' to start the IN list/],
  ["run_id = ('a')", /only allowed after IN/],
  ["foo.bar = 'x'", /unknown prefix 'foo'/],
  ["nope = 'x'", /'nope' is not a searchable run attribute/],
  ["experiment_id = '1'", /not a searchable run attribute/],
  ["datasets.source = 'x'", /dataset keys are name, digest and context/],
  ["params.lr = 'x", /unterminated quoted string \(at position 13\)/],
  ["metrics.`f1 = 'x'", /unterminated backtick-quoted identifier/],
  ["params. = 'x'", /expected a key after 'params.'/],
  ["params.lr = 'x' AND", /expected an identifier/],
  ["params.lr = 'x' params.b = 'y'", /unexpected 'params.b'/],
  ["(params.lr = 'x'", /expected '\)'/],
  ["params.lr = 'x')", /unexpected '\)'/],
  ['metrics.acc > 5x', /malformed number/],
  ["= 'x'", /expected an identifier/],
];

describe('parseFilter (runs) rejects', () => {
  it.each(RUN_INVALID)('%s', (filter, message) => {
    let caught: unknown;
    try {
      parseFilter(filter, 'runs');
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', status: 400 });
    expect((caught as Error).message).toMatch(message);
  });
});

describe('parseFilter (experiments)', () => {
  it.each([
    ["name = 'x'", cmp('attribute', 'name', '=', 'x')],
    ["attribute.name ILIKE '%x%'", cmp('attribute', 'name', 'ILIKE', '%x%')],
    ['creation_time > 5', cmp('attribute', 'creation_time', '>', 5)],
    ['last_update_time <= 5', cmp('attribute', 'last_update_time', '<=', 5)],
    ["tags.`k` ILIKE '%v%'", cmp('tag', 'k', 'ILIKE', '%v%')],
    ["tag.k != 'v'", cmp('tag', 'k', '!=', 'v')],
  ])('accepts %s', (filter, ast) => {
    expect(parseFilter(filter, 'experiments')).toEqual(ast);
  });

  it.each([
    "attributes.name = 'x'",
    "attr.name = 'x'",
    'metrics.a > 1',
    "params.a = 'x'",
    "datasets.name = 'x'",
    "experiment_id = '1'",
    "name IN ('x')",
    'name = 5',
    "creation_time = '5'",
    "run_name = 'x'",
  ])('rejects %s', (filter) => {
    expect(() => parseFilter(filter, 'experiments')).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }),
    );
  });
});
