import { useEffect, useRef, useState } from 'react';
import { loadDigitShapes, type DigitShapes } from './digitShapes';
import { loadInkCheck, type InkCheck } from './inkCheck';

/** What the verdict reads beside the scores: the digit shapes and the ink check, each once it has loaded. */
export interface VerdictAids {
  shapes: DigitShapes | null;
  check: InkCheck | null;
}

/**
 * Loads the verdict's aids once per page. Without them (not loaded yet, or a failed fetch)
 * the verdict still checks the ink and the scores; with them, also the shape and the ink check.
 * `aids` re-renders when one arrives; `aidsRef` is for callbacks.
 */
export function useVerdictAids(): { aids: VerdictAids; aidsRef: { readonly current: VerdictAids } } {
  const [aids, setAids] = useState<VerdictAids>({ shapes: null, check: null });
  const aidsRef = useRef<VerdictAids>(aids);
  useEffect(() => {
    let live = true;
    const arrived = (part: Partial<VerdictAids>) => {
      aidsRef.current = { ...aidsRef.current, ...part };
      if (live) setAids(aidsRef.current);
    };
    loadDigitShapes().then(
      (shapes) => arrived({ shapes }),
      () => {},
    );
    loadInkCheck().then(
      (check) => arrived({ check }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, []);
  return { aids, aidsRef };
}
