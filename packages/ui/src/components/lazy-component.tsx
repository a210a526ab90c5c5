import { type ComponentType, type ReactElement, useEffect, useReducer } from 'react';
import { ErrorBox, Loading } from './status.tsx';

export interface LazyComponent<P> {
  (props: P): ReactElement;
  /** Starts the import (once); resolves when it has loaded or failed, never rejects. */
  preload(): Promise<void>;
}

/**
 * A code-split component that never suspends: it renders `<Loading/>` until its module arrives
 * and then re-renders itself, or shows the import's error in place.
 *
 * Why not `React.lazy` + `<Suspense>`: React 19 reveals a boundary's content no sooner than
 * ~300 ms after its fallback was shown, and a page's queries only start once it renders, so
 * every lazy page or chart left the browser idle that long before its first request. Calling
 * `preload()` early (see app/route-preload.ts) also lets the chunk load alongside other work.
 */
export function lazyComponent<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
  loadingLabel?: string,
): LazyComponent<P> {
  let Loaded: ComponentType<P> | undefined;
  let failure: { error: unknown } | undefined;
  let pending: Promise<void> | undefined;
  const preload = () => {
    pending ??= load().then(
      (m) => {
        Loaded = m.default;
      },
      (error: unknown) => {
        failure = { error };
      },
    );
    return pending;
  };
  // biome-ignore lint/correctness/noComponentHookFactories: called once per module at module level (lazy-modules.ts), as React.lazy is
  function Lazy(props: P): ReactElement {
    const [, rerender] = useReducer((n: number) => n + 1, 0);
    const settled = Loaded !== undefined || failure !== undefined;
    useEffect(() => {
      if (settled) return;
      let mounted = true;
      // Also covers an import that settled between this render and the effect.
      void preload().then(() => mounted && rerender());
      return () => {
        mounted = false;
      };
    }, [settled]);
    if (Loaded) return <Loaded {...props} />;
    if (failure)
      return <ErrorBox error={failure.error} title="Could not load this part of the page (reload to try again):" />;
    return <Loading label={loadingLabel} />;
  }
  return Object.assign(Lazy, { preload });
}
