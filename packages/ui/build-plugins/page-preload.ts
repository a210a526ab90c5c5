/**
 * A Vite build plugin: writes into index.html a small script that, from the URL alone, adds
 * `<link rel="modulepreload">` for the chunks the route's first view needs (src/app/route-table.ts).
 * Without it a page's chunks were asked for only once the entry (about 320 kB) had downloaded and
 * run, and then queued beside the page's first API requests; with it they download beside the
 * entry. app/route-preload.ts still preloads them too (a no-op once these links exist), and covers
 * hash links and what the URL's query decides. Written at the top of <head>: an inline script
 * after a stylesheet link waits for the stylesheet to load.
 */
import type { Plugin } from 'vite';

type Bundle = Record<string, { type: string; fileName: string; isEntry?: boolean; isDynamicEntry?: boolean; facadeModuleId?: string | null; imports?: string[] }>;
type RouteRow = readonly [string, string, readonly string[]];

/** `/experiments/:experimentId` → a regex source over an app path (no workspace prefix, no trailing slash). */
export function patternSource(pattern: string): string {
  if (pattern === '/') return '^/$';
  const parts = pattern
    .split('/')
    .map((p) => (p.startsWith(':') ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return `^${parts.join('/')}$`;
}

/** Per route, the files to preload: each named chunk and what it imports, the entry left out. */
export function routeFiles(routes: readonly RouteRow[], bundle: Bundle): [string, string[]][] {
  const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
  const entry = chunks.find((c) => c.isEntry);
  const byModule = new Map<string, string>();
  for (const c of chunks) {
    const name = c.isDynamicEntry && c.facadeModuleId ? /([\w-]+)\.tsx?$/.exec(c.facadeModuleId)?.[1] : undefined;
    if (name) byModule.set(name, c.fileName);
  }
  return routes.map(([, pattern, modules]) => {
    const files = new Set<string>();
    const walk = (file: string) => {
      if (file === entry?.fileName || files.has(file)) return;
      files.add(file);
      for (const dep of bundle[file]?.imports ?? []) walk(dep);
    };
    for (const m of modules) {
      const file = byModule.get(m);
      // A renamed page must not silently lose its preload: the build fails instead.
      if (!file) throw new Error(`route-table.ts: no lazy chunk for '${m}' (route ${pattern})`);
      walk(file);
    }
    return [patternSource(pattern), [...files]];
  });
}

/** The inline script: the first matching route's files, as modulepreload links. */
export function preloadScript(table: [string, string[]][], base: string): string {
  const files = [...new Set(table.flatMap(([, f]) => f))];
  const rows = table.map(([re, f]) => [re, f.map((x) => files.indexOf(x))]);
  return `(function(){try{var F=${JSON.stringify(files)},R=${JSON.stringify(rows)},p=location.pathname.replace(/^\\/w\\/[^/]+/,'').replace(/\\/+$/,'')||'/';for(var i=0;i<R.length;i++)if(new RegExp(R[i][0]).test(p)){R[i][1].forEach(function(n){var l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='';l.href=${JSON.stringify(base)}+F[n];document.head.appendChild(l)});return}}catch(e){}})();`;
}

export function pagePreload(routes: readonly RouteRow[]): Plugin {
  return {
    name: 'trove-page-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (!ctx.bundle) return;
        const table = routeFiles(routes, ctx.bundle as unknown as Bundle);
        return [{ tag: 'script', children: preloadScript(table, '/'), injectTo: 'head-prepend' }];
      },
    },
  };
}
