import { useRef } from 'react';

/**
 * `value` as it was when `key` last changed: a derived object keeps its identity while its content
 * (which `key` spells) stays the same, so memos and effects downstream do not run again for a copy.
 */
export function useStableValue<T>(value: T, key: string): T {
  const last = useRef<{ key: string; value: T } | null>(null);
  if (last.current === null || last.current.key !== key) last.current = { key, value };
  return last.current.value;
}
