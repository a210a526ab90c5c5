import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { patternSource, preloadScript, routeFiles } from '../build-plugins/page-preload.ts';
import { ROUTES } from '../src/app/route-table.ts';
import { matchRoute } from '../src/lib/route-match.ts';

const chunk = (fileName: string, extra: object = {}) => ({ type: 'chunk', fileName, imports: [], ...extra });
const bundle = {
  'assets/index.js': chunk('assets/index.js', { isEntry: true }),
  'assets/shared.js': chunk('assets/shared.js', { imports: ['assets/index.js'] }),
  'assets/Exp.js': chunk('assets/Exp.js', {
    isDynamicEntry: true,
    facadeModuleId: '/src/features/runs/ExperimentPage.tsx',
    imports: ['assets/shared.js', 'assets/index.js'],
  }),
  'assets/Metric.js': chunk('assets/Metric.js', {
    isDynamicEntry: true,
    facadeModuleId: '/src/charts/MetricChart.tsx',
    imports: ['assets/shared.js'],
  }),
  'assets/style.css': { type: 'asset', fileName: 'assets/style.css' },
};

/** The links the inline script adds for a location, run as a browser would run it. */
function linksFor(pathname: string, table: [string, string[]][]): string[] {
  const links: { rel: string; href: string }[] = [];
  const document = {
    createElement: () => ({}) as { rel: string; href: string },
    head: { appendChild: (l: { rel: string; href: string }) => links.push(l) },
  };
  runInNewContext(preloadScript(table, '/'), { location: { pathname }, document });
  return links.map((l) => `${l.rel} ${l.href}`);
}

describe('page chunk preload in index.html', () => {
  it('matches the same paths as the router', () => {
    for (const path of ['/', '/experiments', '/experiments/12', '/experiments/1/runs/abc', '/models/a.b', '/nope/x'])
      for (const [name, pattern] of ROUTES) {
        const routed = matchRoute([[name, pattern]], path) !== null;
        expect(new RegExp(patternSource(pattern)).test(path), `${pattern} vs ${path}`).toBe(routed);
      }
  });

  it('preloads a route’s chunks and what they import, never the entry', () => {
    const table = routeFiles(
      [
        ['experiment', '/experiments/:id', ['ExperimentPage']],
        ['compare', '/compare', ['ExperimentPage', 'MetricChart']],
      ],
      bundle,
    );
    expect(table).toEqual([
      ['^/experiments/[^/]+$', ['assets/Exp.js', 'assets/shared.js']],
      ['^/compare$', ['assets/Exp.js', 'assets/shared.js', 'assets/Metric.js']],
    ]);
    expect(linksFor('/experiments/7', table)).toEqual([
      'modulepreload /assets/Exp.js',
      'modulepreload /assets/shared.js',
    ]);
    // Workspace prefix and a trailing slash are the same page.
    expect(linksFor('/w/team-a/compare/', table)).toHaveLength(3);
    expect(linksFor('/models', table)).toEqual([]);
  });

  it('fails the build when a route names a module that has no chunk', () => {
    expect(() => routeFiles([['x', '/x', ['RenamedPage']]], bundle)).toThrow(/no lazy chunk for 'RenamedPage'/);
  });
});
