import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInteger } from '../../i18n/format';
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
  const { t } = useTranslation();
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
  const title =
    cell.label === cell.predicted
      ? t('think.cells.titleRight', { label: cell.label })
      : t('think.cells.titleAs', { label: cell.label, predicted: cell.predicted });
  const images = shown?.images;
  return (
    <section className="panel cell-images" aria-labelledby="cell-images-title" data-testid="cell-images" data-total={images?.total ?? ''}>
      <div className="cell-images-head">
        <h2 id="cell-images-title">
          {title}
          {images && (
            <span className="muted">
              {' · '}
              {images.total > images.indices.length
                ? t('think.cells.countShown', { total: formatInteger(images.total), shown: formatInteger(images.indices.length) })
                : formatInteger(images.total)}
            </span>
          )}
        </h2>
        <button type="button" className="secondary" onClick={onClose}>
          {t('think.cells.close')}
        </button>
      </div>
      {shown?.error && <p className="muted">{shown.error}</p>}
      {!shown && <p className="muted">{t('think.cells.loading')}</p>}
      {images && images.total === 0 && <p className="muted">{t('think.cells.empty')}</p>}
      {images && images.indices.length > 0 && (
        <ol className="cell-images-list">
          {Array.from(images.indices, (index, r) => {
            const pixels = images.pixels.subarray(r * IMAGE_PIXELS, (r + 1) * IMAGE_PIXELS);
            const caption = t('think.cells.caption', { index, label: cell.label, predicted: cell.predicted });
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
