import { describe, expect, it } from 'vitest';
import { brushedRows, brushRange, formatBrushes, keyboardBrush, parseBrushes, withBrush } from '../src/lib/brushing.ts';
import {
  axisPosition,
  axisTicks,
  axisValueAt,
  buildAxis,
  formatTick,
  niceTicks,
  toNumber,
} from '../src/lib/chart-axes.ts';

describe('chart axes', () => {
  it('makes a numeric axis when every present value is a number, strings included', () => {
    const axis = buildAxis('params.lr', ['0.1', '0.01', undefined, '', 0.003]);
    expect(axis).toEqual({ kind: 'numeric', field: 'params.lr', min: 0.003, max: 0.1, log: false });
    expect(axisPosition(axis, '0.1')).toBe(1);
    expect(axisPosition(axis, 0.003)).toBe(0);
    expect(axisPosition(axis, undefined)).toBeNull();
    expect(axisPosition(axis, 'NaN')).toBeNull();
  });

  it('makes a categorical axis in natural order once any value is not a number', () => {
    const axis = buildAxis('params.opt', ['sgd', 'adam', 'layer10', 'layer9', 'sgd', '3']);
    expect(axis.kind).toBe('categorical');
    expect(axis.kind === 'categorical' && axis.categories).toEqual(['3', 'adam', 'layer9', 'layer10', 'sgd']);
    expect(axisPosition(axis, 'adam')).toBeCloseTo(1.5 / 5);
    expect(axisPosition(axis, 'unknown')).toBeNull();
    // A metric "NaN" is not a category of a numeric axis, but a string field with it is categorical.
    expect(buildAxis('m', [1, 'NaN', 2]).kind).toBe('categorical');
    expect(toNumber(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('centres a single value and maps log axes by decade', () => {
    const flat = buildAxis('x', [5, '5']);
    expect(axisPosition(flat, 5)).toBe(0.5);
    const log = buildAxis('lr', [0.001, 0.1, 0.01], { log: true });
    expect(log.kind === 'numeric' && log.log).toBe(true);
    expect(axisPosition(log, 0.01)).toBeCloseTo(0.5);
    expect(log.kind === 'numeric' && axisValueAt(log, 0.5)).toBeCloseTo(0.01);
    // Log is refused when a value is not positive.
    expect(buildAxis('x', [0, 1], { log: true })).toMatchObject({ log: false });
  });

  it('picks round ticks and prints them short', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.003, 0.1, 4)).toEqual([0.02, 0.04, 0.06, 0.08, 0.1]);
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(0.00001)).toBe('1.0e-5');
    const ticks = axisTicks(buildAxis('c', ['a', 'b']));
    expect(ticks).toEqual([
      { pos: 0.25, label: 'a' },
      { pos: 0.75, label: 'b' },
    ]);
    expect(axisTicks(buildAxis('lr', [0.001, 0.1], { log: true })).map((t) => t.label)).toEqual([
      '0.001',
      '0.01',
      '0.1',
    ]);
  });
});

describe('brushing', () => {
  const fields = ['params.lr', 'metrics.loss'];
  const rows = [
    [0.1, 0.9],
    [0.5, 0.5],
    [0.9, null],
  ];

  it('highlights every row without brushes, and only rows inside every brushed range with them', () => {
    expect(brushedRows(rows, fields, {})).toEqual([true, true, true]);
    expect(brushedRows(rows, fields, { 'params.lr': [0.4, 1] })).toEqual([false, true, true]);
    // A row without a value on a brushed axis is out.
    expect(brushedRows(rows, fields, { 'params.lr': [0.4, 1], 'metrics.loss': [0, 0.6] })).toEqual([
      false,
      true,
      false,
    ]);
    // A brush on an axis that is not shown does not filter.
    expect(brushedRows(rows, fields, { 'params.other': [0, 0.1] })).toEqual([true, true, true]);
  });

  it('orders and clamps drags, sets and clears brushes, and round-trips them through the URL', () => {
    expect(brushRange(0.8, -0.2)).toEqual([0, 0.8]);
    const b = withBrush({}, 'params.a:b,c', [0.25, 0.5]);
    expect(withBrush(b, 'params.a:b,c', null)).toEqual({});
    const url = formatBrushes({ ...b, 'metrics.loss': [0.123456, 1] });
    expect(url).toEqual(['0.25~0.5~params.a:b,c', '0.1235~1~metrics.loss']);
    expect(parseBrushes(url)).toEqual({ 'params.a:b,c': [0.25, 0.5], 'metrics.loss': [0.1235, 1] });
    expect(parseBrushes(['junk', 'x~1~f', '0.9~0.1~g'])).toEqual({ g: [0.1, 0.9] });
  });
});

describe('keyboard brushing', () => {
  it('starts a quarter range, moves it within the axis, resizes with Shift and clears', () => {
    expect(keyboardBrush(undefined, 'ArrowUp', false)).toEqual([0.75, 1]);
    expect(keyboardBrush(undefined, 'ArrowDown', false)).toEqual([0, 0.25]);
    const moved = keyboardBrush([0.75, 1], 'ArrowDown', false)!;
    expect(moved[0]).toBeCloseTo(0.7);
    expect(moved[1]).toBeCloseTo(0.95);
    expect(keyboardBrush([0.75, 1], 'ArrowUp', false)).toEqual([0.75, 1]); // already at the top
    expect(keyboardBrush([0.5, 0.6], 'ArrowDown', true)).toEqual([0.5, 0.55]);
    expect(keyboardBrush([0.5, 0.55], 'ArrowDown', true)).toEqual([0.5, 0.55]); // never narrower than a step
    expect(keyboardBrush([0.5, 0.6], 'Escape', false)).toBeNull();
    expect(keyboardBrush(undefined, 'Escape', false)).toBeUndefined();
    expect(keyboardBrush([0.5, 0.6], 'a', false)).toBeUndefined();
  });
});
