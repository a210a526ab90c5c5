import { describe, expect, it } from 'vitest';
import { compareRows } from '../src/features/compare/compare-rows.ts';
import { previewKind } from '../src/lib/artifact-kind.ts';
import { parseDelimited } from '../src/lib/csv.ts';
import { formatDuration, formatNumber } from '../src/lib/format.ts';
import { hashRouteToPath, matchRoute } from '../src/lib/route-match.ts';

describe('routes', () => {
  const routes = [
    ['home', '/'],
    ['experiment', '/experiments/:id'],
    ['run', '/experiments/:id/runs/:runId'],
    ['model', '/models/:name'],
  ] as const;

  it('matches patterns and decodes params', () => {
    expect(matchRoute(routes, '/')).toEqual({ name: 'home', params: {} });
    expect(matchRoute(routes, '/experiments/12/')).toEqual({ name: 'experiment', params: { id: '12' } });
    expect(matchRoute(routes, '/experiments/1/runs/abc')).toEqual({ name: 'run', params: { id: '1', runId: 'abc' } });
    expect(matchRoute(routes, '/models/my%20model.v2')).toEqual({ name: 'model', params: { name: 'my model.v2' } });
    expect(matchRoute(routes, '/experiments')).toBeNull();
    expect(matchRoute(routes, '/experiments//runs/x')).toBeNull();
  });

  it('turns MLflow hash links into paths', () => {
    expect(hashRouteToPath('#/experiments/1/runs/abc')).toBe('/experiments/1/runs/abc');
    expect(hashRouteToPath('#/models/clf/versions/2')).toBe('/models/clf/versions/2');
    expect(hashRouteToPath('#main')).toBeNull();
  });
});

describe('CSV preview parsing', () => {
  it('reads quotes, doubled quotes, CRLF and embedded newlines', () => {
    const { rows } = parseDelimited('a,b\r\n"x, y","say ""hi"""\n"multi\nline",2\n');
    expect(rows).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', '2'],
    ]);
  });

  it('stops after maxRows and says so', () => {
    const text = Array.from({ length: 10 }, (_, i) => `${i}\t${i * 2}`).join('\n');
    const { rows, truncated } = parseDelimited(text, '\t', 3);
    expect(rows).toEqual([
      ['0', '0'],
      ['1', '2'],
      ['2', '4'],
    ]);
    expect(truncated).toBe(true);
  });
});

describe('formatting and preview kinds', () => {
  it('formats durations and numbers', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(4_200)).toBe('4.2s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatNumber(0.123456789)).toBe('0.123457');
    expect(formatNumber('NaN')).toBe('NaN');
    expect(formatNumber(1e-7)).toBe('1.000e-7');
  });

  it('picks a preview from the file name', () => {
    expect(previewKind('plots/a.PNG')).toBe('image');
    expect(previewKind('model/MLmodel')).toBe('text');
    expect(previewKind('conda.yaml')).toBe('text');
    expect(previewKind('x.json')).toBe('json');
    expect(previewKind('t.tsv')).toBe('tsv');
    expect(previewKind('s.wav')).toBe('audio');
    expect(previewKind('v.webm')).toBe('video');
    expect(previewKind('r.html')).toBe('html');
    expect(previewKind('weights.bin')).toBe('none');
  });
});

describe('compare rows', () => {
  it('flags keys whose values differ or are missing in some run', () => {
    const rows = compareRows([
      new Map([
        ['lr', '0.1'],
        ['bs', '64'],
      ]),
      new Map([
        ['lr', '0.01'],
        ['bs', '64'],
        ['extra', 'x'],
      ]),
    ]);
    expect(rows).toEqual([
      { key: 'bs', values: ['64', '64'], differs: false },
      { key: 'extra', values: [undefined, 'x'], differs: true },
      { key: 'lr', values: ['0.1', '0.01'], differs: true },
    ]);
  });
});
