import { useState } from 'react';

/** True when both objects have the same keys with identical (===) values. */
export function shallowEqual<T extends object>(a: T, b: T): boolean {
  const ka = Object.keys(a) as (keyof T)[];
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.is(a[k], b[k]));
}

/** The previous object while the new one is shallow-equal to it, so memoised children skip a render. */
export function useShallowStable<T extends object>(value: T): T {
  const [kept, setKept] = useState(value);
  if (shallowEqual(kept, value)) return kept;
  setKept(value); // adjusting state while rendering: the next render keeps this one
  return value;
}
