import { describe, expect, it } from 'vitest';
import { runSpec } from '../src/features/run/run-state.ts';
import { cellText, parseLoggedTable } from '../src/lib/logged-table.ts';
import { fileAtStep, groupStepFiles, parseStepFilePath, stepStops, stopIndex } from '../src/lib/step-files.ts';
import { decodeState } from '../src/lib/url-state.ts';

const name = (key: string, step: number, ts: number, id: string, rest = '.png') =>
  `${key}%step%${step}%timestamp%${ts}%${id}${rest}`;
const f = (key: string, step: number, ts: number, id: string, rest = '.png') =>
  `images/${name(key, step, ts, id, rest)}`;
const listed = (...paths: string[]) => paths.map((path) => ({ path }));

describe('images per step (MLflow log_image layout)', () => {
  it('parses keys (with # for /), steps and timestamps, and ignores other files', () => {
    expect(parseStepFilePath(f('val#pred', 3, 1700, 'gab-12'))).toEqual({
      kind: 'image',
      key: 'val/pred',
      step: 3,
      timestamp: 1700,
      id: 'gab-12',
      compressed: false,
    });
    expect(parseStepFilePath(f('pred', 3, 1700, 'gab', '%compressed.webp'))).toMatchObject({ compressed: true });
    expect(parseStepFilePath(f('pred', 3, 1700, 'gab', '.json'))).toBeNull();
    expect(parseStepFilePath('images/plain.png')).toBeNull();
    expect(parseStepFilePath('plots/pred%step%1%timestamp%1%x.png')).toBeNull();
    expect(parseStepFilePath(`images/sub/${name('pred', 1, 1, 'x')}`)).toBeNull();
  });

  it('groups by key in step order, full size over thumbnails, latest upload per step', () => {
    const groups = groupStepFiles(
      listed(
        f('pred', 10, 2000, 'h1', '%compressed.webp'),
        f('pred', 10, 2000, 'h1'),
        f('pred', 0, 1000, 'h0', '%compressed.webp'),
        f('pred', 5, 1500, 'h5a'),
        f('pred', 5, 1600, 'h5b'),
        f('mask', 5, 1500, 'm5'),
        'images/readme.txt',
      ),
    );
    expect([...groups.keys()]).toEqual(['image']);
    const images = groups.get('image')!;
    expect([...images.keys()]).toEqual(['mask', 'pred']);
    const pred = images.get('pred')!;
    expect(pred.map((i) => [i.step, i.path])).toEqual([
      [0, f('pred', 0, 1000, 'h0', '%compressed.webp')],
      [5, f('pred', 5, 1600, 'h5b')],
      [10, f('pred', 10, 2000, 'h1')],
    ]);
    expect(stepStops(groups)).toEqual([0, 5, 10]);
    expect(fileAtStep(pred, 7)?.step).toBe(5);
    expect(fileAtStep(pred, 10)?.step).toBe(10);
    expect(fileAtStep(images.get('mask')!, 0)?.step).toBe(5); // nothing yet: the first one
    expect(fileAtStep([], 3)).toBeUndefined();
  });
});

describe('files of every kind per step', () => {
  it('reads each kind from its folder, tables only as JSON, thumbnails only for images', () => {
    expect(parseStepFilePath(`audio/${name('speech', 1, 5, 'a', '.wav')}`)).toMatchObject({ kind: 'audio', step: 1 });
    expect(parseStepFilePath(`video/${name('rollout', 2, 5, 'v', '.mp4')}`)).toMatchObject({ kind: 'video' });
    expect(parseStepFilePath(`tables/${name('confusion', 3, 5, 't', '.json')}`)).toMatchObject({ kind: 'table' });
    expect(parseStepFilePath(`tables/${name('confusion', 3, 5, 't', '.csv')}`)).toBeNull();
    expect(parseStepFilePath(`files/${name('attention', 4, 5, 'n', '.npy')}`)).toMatchObject({ kind: 'file' });
    expect(parseStepFilePath(`audio/${name('speech', 1, 5, 'a', '%compressed.webp')}`)).toBeNull();
    expect(parseStepFilePath(`tables/${name('x', 1, 5, 'a', '.png')}`)).toBeNull();
    expect(parseStepFilePath(name('x', 1, 5, 'a'))).toBeNull();
  });

  it('groups kinds in page order, keeps sizes, and gives one set of slider stops over all kinds', () => {
    const groups = groupStepFiles([
      { path: `files/${name('attention', 7, 9, 'n', '.npy')}`, size: 2048 },
      { path: `audio/${name('speech', 1, 5, 'a', '.wav')}` },
      { path: `audio/${name('speech', 4, 6, 'b', '.wav')}` },
      { path: f('pred', 0, 1, 'p') },
      { path: `tables/${name('pred', 4, 8, 't', '.json')}` },
    ]);
    expect([...groups.keys()]).toEqual(['image', 'audio', 'table', 'file']);
    // The same key under two kinds stays two series.
    expect(
      groups
        .get('image')!
        .get('pred')!
        .map((x) => x.kind),
    ).toEqual(['image']);
    expect(
      groups
        .get('table')!
        .get('pred')!
        .map((x) => x.kind),
    ).toEqual(['table']);
    expect(groups.get('file')!.get('attention')![0]).toMatchObject({ step: 7, size: 2048 });
    expect(groups.get('audio')!.get('speech')![0]).not.toHaveProperty('size');
    expect(stepStops(groups)).toEqual([0, 1, 4, 7]);
  });

  it('snaps a chosen step to the stop at or before it, the last stop when none is chosen', () => {
    const stops = [0, 5, 10];
    expect(stopIndex(stops, null)).toBe(2);
    expect(stopIndex(stops, 5)).toBe(1);
    expect(stopIndex(stops, 7)).toBe(1);
    expect(stopIndex(stops, -3)).toBe(0);
    expect(stopIndex(stops, 99)).toBe(2);
  });

  it('opens the media tab from the old ?tab=images links', () => {
    expect(decodeState(runSpec, 'tab=images&istep=5')).toMatchObject({ tab: 'media', istep: 5 });
    expect(decodeState(runSpec, 'tab=media').tab).toBe('media');
    expect(decodeState(runSpec, 'tab=nonsense').tab).toBe('overview');
  });
});

describe('logged tables', () => {
  it('reads {columns, data} into text cells, capping rows and counting them all', () => {
    const text = JSON.stringify({
      columns: ['label', 'n', 'extra'],
      data: [
        ['<b>cat</b>', 3, { a: 1 }],
        ['dog', null, [1, 2]],
        ['eel', true],
      ],
    });
    expect(parseLoggedTable(text, 2)).toEqual({
      columns: ['label', 'n', 'extra'],
      rows: [
        ['<b>cat</b>', '3', '{"a":1}'],
        ['dog', '', '[1,2]'],
      ],
      totalRows: 3,
    });
    expect(parseLoggedTable(text, 100).rows[2]).toEqual(['eel', 'true', '']);
    expect(cellText(undefined)).toBe('');
  });

  it('says what is wrong with a file in another shape', () => {
    expect(() => parseLoggedTable('{', 10)).toThrow(/not valid JSON/);
    expect(() => parseLoggedTable('[1,2]', 10)).toThrow(/"columns"/);
    expect(() => parseLoggedTable('null', 10)).toThrow(/"columns"/);
  });
});
