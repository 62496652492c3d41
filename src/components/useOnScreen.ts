/**
 * Views that cost what they show: whether an element is on screen (IntersectionObserver), and
 * a value that follows its source only while it is, so a live picture off screen is not redrawn
 * (it catches up when it comes back into view).
 */
import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * `[ref, onScreen]`: give `ref` to the element; `onScreen` is true while any of it is within
 * `margin` of the viewport (true until the observer first answers, and where there is none).
 */
export function useOnScreen<T extends Element>(margin = '120px'): [(el: T | null) => void, boolean] {
  const [onScreen, setOnScreen] = useState(true);
  const observer = useRef<IntersectionObserver | null>(null);
  const ref = useCallback(
    (el: T | null) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!el || typeof IntersectionObserver === 'undefined') return;
      observer.current = new IntersectionObserver(
        (entries) => {
          const e = entries.at(-1);
          if (e) setOnScreen(e.isIntersecting);
        },
        { rootMargin: margin },
      );
      observer.current.observe(el);
    },
    [margin],
  );
  useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, onScreen];
}

/** `value` while `live`; the last value seen while live otherwise (the latest again once live). */
export function useWhileLive<T>(value: T, live: boolean): T {
  const [kept, setKept] = useState(value);
  // Adjusting state while rendering (React's pattern for values derived from props).
  if (live && !Object.is(kept, value)) setKept(value);
  return live ? value : kept;
}
