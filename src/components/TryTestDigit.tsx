import { useRef } from 'react';
import type { DataInfo } from '../shared/protocol';
import { IMAGE_PIXELS } from '../shared/constants';

interface Props {
  /** The loaded data set (its sample test digits), or null while loading. */
  dataset: DataInfo | null;
  /** Shows a digit ([784] pixels 0..1, white on black) in the drawing pad, with a caption. */
  onLoad(pixels: Float32Array, label: string): void;
}

/**
 * "Load a random test digit": a way to try the pad without a pointer (keyboard, switch access),
 * and a quick way for anyone to see what real MNIST digits get. Picks one of the sample
 * test digits, never the same one twice in a row.
 */
export function TryTestDigit({ dataset, onLoad }: Props) {
  const last = useRef(-1);
  const count = dataset?.sampleLabels.length ?? 0;
  const load = () => {
    if (!dataset || count === 0) return;
    let i = Math.floor(Math.random() * count);
    if (count > 1 && i === last.current) i = (i + 1) % count;
    last.current = i;
    const bytes = dataset.samplePixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    const pixels = new Float32Array(IMAGE_PIXELS);
    for (let p = 0; p < IMAGE_PIXELS; p++) pixels[p] = (bytes[p] ?? 0) / 255;
    onLoad(pixels, `test digit #${i}, labelled ${dataset.sampleLabels[i]}`);
  };
  return (
    <button
      type="button"
      className="secondary try-digit"
      data-testid="try-test-digit"
      disabled={count === 0}
      title={count === 0 ? 'Wait for the data to load.' : 'Shows a real MNIST test digit in the pad and what the model makes of it.'}
      onClick={load}
    >
      Load a random test digit
    </button>
  );
}
