import { describe, expect, it } from 'vitest';
import type { ChartLayout } from '../src/charts/chart-layout.ts';
import {
  CUSTOM_SECTION,
  chartSections,
  DEFAULT_LINE_CHARTS,
  defaultChartLayout,
  lineChart,
  metricSection,
  withSectionCollapsed,
} from '../src/charts/chart-sections.ts';

describe('default chart layout', () => {
  it('charts every metric, grouped by key prefix, system metrics last and folded', () => {
    const layout = defaultChartLayout([
      'val/loss',
      'loss',
      'system/cpu_utilization_percentage',
      'accuracy',
      'val/accuracy',
      'loss',
    ]);
    expect(layout.charts.map((c) => (c.type === 'line' ? c.metric : c.type))).toEqual([
      'accuracy',
      'loss',
      'val/accuracy',
      'val/loss',
      'system/cpu_utilization_percentage',
    ]);
    expect(layout.charts[0]).toEqual(lineChart('accuracy'));
    expect(layout.collapsed).toEqual(['system']);
    expect(chartSections(layout).map((s) => [s.title, s.charts.map((c) => c.index), s.collapsed])).toEqual([
      ['Metrics', [0, 1], false],
      ['val/', [2, 3], false],
      ['System metrics', [4], true],
    ]);
  });

  it('starts a wide experiment with a bounded number of charts, and none without metrics', () => {
    const keys = Array.from({ length: 500 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    expect(defaultChartLayout(keys).charts).toHaveLength(DEFAULT_LINE_CHARTS);
    expect(defaultChartLayout([])).toEqual({ version: 1, charts: [], maxRuns: 100, collapsed: [] });
  });

  it('puts other chart types first and remembers folded sections', () => {
    const layout: ChartLayout = {
      version: 1,
      maxRuns: 100,
      collapsed: [],
      charts: [lineChart('val/loss'), { type: 'scatter', x: 'params.lr', y: 'metrics.loss' }, lineChart('loss')],
    };
    expect(chartSections(layout).map((s) => s.key)).toEqual([CUSTOM_SECTION, '', 'val']);
    const folded = withSectionCollapsed(layout, 'val', true);
    expect(folded.collapsed).toEqual(['val']);
    expect(chartSections(folded).find((s) => s.key === 'val')?.collapsed).toBe(true);
    expect(withSectionCollapsed(folded, 'val', false).collapsed).toEqual([]);
    expect(metricSection('a/b/c')).toBe('a');
    expect(metricSection('/odd')).toBe('');
  });
});
