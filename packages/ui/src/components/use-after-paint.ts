import { startTransition, useEffect, useState } from 'react';

/**
 * False until the browser has painted once after `ready` turned true, then true for good. A page
 * renders what its first screen shows in one commit and what lies below it in the next: the
 * compare page's table of 100 runs had waited for the charts under it (parallel coordinates,
 * scatter, contour, box plot: about as much work again) to be built in the same task.
 */
export function useAfterPaint(ready: boolean): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    if (!ready || after) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A frame callback runs just before a paint; a timer it sets runs after that paint. As a
    // transition, the render it starts yields to the page's other updates (a chart whose data
    // arrives meanwhile draws without waiting for it).
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setAfter(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [ready, after]);
  return after;
}
