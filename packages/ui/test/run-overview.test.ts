import { describe, expect, it } from 'vitest';
import { previewKind } from '../src/lib/artifact-kind.ts';
import { profileEntries, schemaColumns } from '../src/lib/dataset-info.ts';
import { metricRows } from '../src/lib/metric-summary.ts';

describe('metricRows', () => {
  const latest = [
    { key: 'val/loss', value: 0.4, step: 490 },
    { key: 'loss', value: 0.3, step: 499 },
    { key: 'accuracy', value: 'NaN' },
  ];
  const ranges = [
    { key: 'loss', min: 0.25, max: 2.1, count: 500 },
    { key: 'accuracy', min: null, max: null, count: 3 },
  ];

  it('sorts by key and joins each latest value with its range', () => {
    expect(metricRows(latest, ranges, '')).toEqual([
      { key: 'accuracy', latest: 'NaN', step: 0, min: null, max: null, count: 3 },
      { key: 'loss', latest: 0.3, step: 499, min: 0.25, max: 2.1, count: 500 },
      { key: 'val/loss', latest: 0.4, step: 490 },
    ]);
  });

  it('filters by key, case-insensitively, and leaves ranges out until they are known', () => {
    expect(metricRows(latest, undefined, ' LOSS').map((r) => [r.key, r.min])).toEqual([
      ['loss', undefined],
      ['val/loss', undefined],
    ]);
    expect(metricRows(latest, ranges, 'nothing')).toEqual([]);
  });
});

describe('schemaColumns', () => {
  it('reads MLflow column specs', () => {
    const json = JSON.stringify({
      mlflow_colspec: [
        { type: 'string', name: 'image_path' },
        { type: 'long', name: 'label', required: true },
      ],
    });
    expect(schemaColumns(json)).toEqual([
      { name: 'image_path', type: 'string' },
      { name: 'label', type: 'long' },
    ]);
  });

  it('reads tensor specs (nested JSON strings) and bare lists', () => {
    const json = JSON.stringify({
      mlflow_tensorspec: {
        features: JSON.stringify([{ type: 'tensor', 'tensor-spec': { dtype: 'float64', shape: [-1, 4] } }]),
        targets: null,
      },
    });
    expect(schemaColumns(json)).toEqual([{ name: 'features[0]', type: 'tensor {"dtype":"float64","shape":[-1,4]}' }]);
    expect(schemaColumns('[{"name":"x","type":"double"},{"type":"long"}]')).toEqual([
      { name: 'x', type: 'double' },
      { name: 'column 1', type: 'long' },
    ]);
  });

  it('gives nothing for a missing or unreadable schema', () => {
    expect(schemaColumns(undefined)).toEqual([]);
    expect(schemaColumns('{not json')).toEqual([]);
    expect(schemaColumns('"text"')).toEqual([]);
  });
});

describe('profileEntries', () => {
  it('lists a profile in the order logged, values as text', () => {
    expect(profileEntries('{"num_rows":128000,"split":"train","stats":{"mean":1}}')).toEqual([
      ['num_rows', '128000'],
      ['split', 'train'],
      ['stats', '{"mean":1}'],
    ]);
    expect(profileEntries('[1,2]')).toEqual([]);
    expect(profileEntries(undefined)).toEqual([]);
  });
});

describe('previewKind', () => {
  it('renders Markdown files as Markdown', () => {
    expect(previewKind('README.md')).toBe('markdown');
    expect(previewKind('docs/notes.MARKDOWN')).toBe('markdown');
    expect(previewKind('notes.txt')).toBe('text');
  });
});
