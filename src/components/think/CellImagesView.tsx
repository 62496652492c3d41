import { useEffect, useState } from 'react';
import { IMAGE_PIXELS } from '../../shared/constants';
import type { CellImages } from '../../shared/protocol';
import { DigitImage } from '../DigitStrip';
import './think.css';

/** Images shown for one cell at most. */
export const CELL_IMAGES_SHOWN = 48;

export interface CellImagesViewProps {
  /** The cell clicked: true label and prediction. */
  cell: { label: number; predicted: number };
  /** Asks the worker for the cell's images (useTrainer.testImages). */
  load(label: number, predicted: number, limit: number): Promise<CellImages>;
  /** Shows one image in the drawing pad's preview ([784] 0..1). */
  onInspect(pixels: Float32Array, caption: string): void;
  onClose(): void;
}

/** The test images behind one cell of the confusion matrix ("the 4s read as 9"), each openable in the pad. */
export function CellImagesView({ cell, load, onInspect, onClose }: CellImagesViewProps) {
  const [got, setGot] = useState<{ key: string; images?: CellImages; error?: string } | null>(null);
  const key = `${cell.label}-${cell.predicted}`;
  useEffect(() => {
    let live = true;
    load(cell.label, cell.predicted, CELL_IMAGES_SHOWN).then(
      (images) => live && setGot({ key, images }),
      (e: unknown) => live && setGot({ key, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [cell.label, cell.predicted, key, load]);
  const shown = got?.key === key ? got : null;
  const what = cell.label === cell.predicted ? `${cell.label}s read right` : `${cell.label}s read as ${cell.predicted}`;
  const images = shown?.images;
  return (
    <section className="panel cell-images" aria-labelledby="cell-images-title" data-testid="cell-images" data-total={images?.total ?? ''}>
      <div className="cell-images-head">
        <h2 id="cell-images-title">
          Test {what}
          {images && (
            <span className="muted">
              {' '}
              · {images.total.toLocaleString('en-US')}
              {images.total > images.indices.length ? `, first ${images.indices.length} shown` : ''}
            </span>
          )}
        </h2>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
      {shown?.error && <p className="muted">{shown.error}</p>}
      {!shown && <p className="muted">Loading…</p>}
      {images && images.total === 0 && <p className="muted">No test image is in this cell.</p>}
      {images && images.indices.length > 0 && (
        <ol className="cell-images-list">
          {Array.from(images.indices, (index, r) => {
            const pixels = images.pixels.subarray(r * IMAGE_PIXELS, (r + 1) * IMAGE_PIXELS);
            const caption = `test digit #${index}, labelled ${cell.label}, read as ${cell.predicted}`;
            return (
              <li key={index}>
                <button
                  type="button"
                  className="cell-image"
                  data-testid="cell-image"
                  title={caption}
                  onClick={() =>
                    onInspect(
                      Float32Array.from(pixels, (v) => v / 255),
                      caption,
                    )
                  }
                >
                  <DigitImage pixels={pixels} label={caption} />
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
