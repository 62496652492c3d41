/**
 * The drawing pad's current 28x28 input as React state, for views beside the pad
 * (labelling, "see it think"), and a way to clear the pad. The state changes
 * only when the picture does: the pad re-sends the same input on every refresh
 * while training, which must not look like a new drawing.
 */
import { useCallback, useMemo, useState } from 'react';

export interface PadInput {
  /** [784] 0..1, white ink on black; null when the pad is empty. */
  input: Float32Array | null;
  /** Give to DrawingPad's `onInput`. */
  onInput(pixels: Float32Array | null): void;
  /** Give to DrawingPad's `clearKey`. */
  clearKey: number;
  /** Clears the pad. */
  clear(): void;
  /** Give to DrawingPad's `undoKey`. */
  undoKey: number;
  /** Undoes on the pad (after a clear: the drawing comes back). */
  undo(): void;
}

function same(a: Float32Array | null, b: Float32Array | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function usePadInput(): PadInput {
  const [input, setInput] = useState<Float32Array | null>(null);
  const [clearKey, setClearKey] = useState(0);
  const onInput = useCallback(
    (pixels: Float32Array | null) => setInput((prev) => (same(prev, pixels) ? prev : pixels && pixels.slice())),
    [],
  );
  const [undoKey, setUndoKey] = useState(0);
  const clear = useCallback(() => setClearKey((k) => k + 1), []);
  const undo = useCallback(() => setUndoKey((k) => k + 1), []);
  return useMemo(() => ({ input, onInput, clearKey, clear, undoKey, undo }), [input, onInput, clearKey, clear, undoKey, undo]);
}
