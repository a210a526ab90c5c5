/** Client routes: `/experiments/:id` patterns matched against a pathname. Pure. */

export interface RouteMatch<N extends string = string> {
  name: N;
  params: Record<string, string>;
}

/** Returns the first route whose pattern matches `pathname`, with its decoded `:params`. */
export function matchRoute<N extends string>(
  routes: readonly (readonly [N, string, ...unknown[]])[],
  pathname: string,
): RouteMatch<N> | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const parts = path.split('/');
  for (const [name, pattern] of routes) {
    const want = pattern.split('/');
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      if (want[i].startsWith(':')) {
        if (parts[i] === '') ok = false;
        else params[want[i].slice(1)] = safeDecode(parts[i]);
      } else ok = want[i] === parts[i];
    }
    if (ok) return { name, params };
  }
  return null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** MLflow's links are hash routes (`/#/experiments/1/runs/abc`); the same page here is a path. */
export function hashRouteToPath(hash: string): string | null {
  const m = /^#(\/(?:experiments|models)(?:\/[^#]*)?)$/.exec(hash);
  return m ? m[1] : null;
}
