import { useEffect, useRef, useState } from 'react';

/**
 * Returns `value`, but updates at most once per `intervalMs` (the latest value
 * always lands), so heavy views such as charts re-render a few times a second
 * however fast events arrive.
 */
export function useThrottled<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + intervalMs - performance.now();
    const id = setTimeout(
      () => {
        last.current = performance.now();
        setShown(value);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(id);
  }, [value, intervalMs]);
  return shown;
}
