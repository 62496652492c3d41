import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatInteger } from '../../i18n/format';
import { useOnScreen, useWhileLive } from '../useOnScreen';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../../shared/constants';
import { robustScale, unitScale, weightsToRgba } from '../../shared/weightImages';
import './insight.css';

/** Units drawn at most (painting 128 costs ~2 ms here); wider first layers show their first MAX_UNITS_SHOWN units. */
export const MAX_UNITS_SHOWN = 128;

export type WeightScale = 'unit' | 'global';

export interface WeightGridProps {
  /** First-layer weights (state.firstLayer): [units * 784], unit-major. */
  firstLayer: { units: number; weights: Float32Array } | null;
  /** Initial colour scale: each unit by its own max |w| (default), or all units by the layer's max |w|. */
  initialScale?: WeightScale;
}

/**
 * Every first-layer unit's 784 input weights as a 28x28 picture (blue negative, white zero,
 * red positive). Repainted when new weights arrive (the worker sends ~2/s while training) and
 * the grid is on screen (off screen it waits, and catches up when scrolled to); the container's
 * `data-version` counts repaints and `data-paint-ms` says how long the last one took.
 */
export const WeightGrid = memo(function WeightGrid({ firstLayer, initialScale = 'unit' }: WeightGridProps) {
  const { t } = useTranslation();
  const [sectionRef, onScreen] = useOnScreen<HTMLElement>();
  // The grid's shape follows the model at once; its pictures are painted from the weights seen on screen.
  const painted = useWhileLive(firstLayer, onScreen);
  const [scaleMode, setScaleMode] = useState<WeightScale>(initialScale);
  const gridRef = useRef<HTMLDivElement>(null);
  const radioName = useId();
  const version = useRef(0);
  const units = firstLayer?.units ?? 0;
  const shown = Math.min(units, MAX_UNITS_SHOWN);
  const paintedShown = painted && painted.units === units ? shown : 0;
  const globalMax = useMemo(
    () => (painted && paintedShown ? robustScale(painted.weights, 0, paintedShown * IMAGE_PIXELS) : 0),
    [painted, paintedShown],
  );

  useEffect(() => {
    const grid = gridRef.current;
    if (!grid || !painted || !paintedShown) return;
    const t0 = performance.now();
    const { weights } = painted;
    const image = new ImageData(IMAGE_SIZE, IMAGE_SIZE);
    const canvases = grid.querySelectorAll('canvas');
    canvases.forEach((canvas, u) => {
      if (u >= paintedShown) return;
      const scale = scaleMode === 'global' ? globalMax : unitScale(weights, u);
      weightsToRgba(weights, u, scale, image.data);
      canvas.getContext('2d')?.putImageData(image, 0, 0);
      canvas.title = t('insight.weights.unitTitle', { unit: u + 1, max: scale.toPrecision(2) });
    });
    // Written straight to the DOM: a counter in React state would cost a second render per update.
    version.current += 1;
    grid.dataset.version = String(version.current);
    grid.dataset.paintMs = (performance.now() - t0).toFixed(2);
  }, [painted, scaleMode, paintedShown, globalMax, t]);

  return (
    <section className="panel insight-weights" aria-labelledby="insight-weights-title" ref={sectionRef}>
      <div className="insight-head">
        <h2 id="insight-weights-title">{t('insight.weights.title')}</h2>
        {firstLayer && (
          <fieldset className="insight-toggle">
            <legend className="insight-sr-only">{t('insight.weights.scale')}</legend>
            <label>
              <input type="radio" name={radioName} checked={scaleMode === 'unit'} onChange={() => setScaleMode('unit')} />{' '}
              {t('insight.weights.perUnit')}
            </label>
            <label>
              <input type="radio" name={radioName} checked={scaleMode === 'global'} onChange={() => setScaleMode('global')} />{' '}
              {t('insight.weights.shared')}
            </label>
          </fieldset>
        )}
      </div>
      <p className="muted insight-caption">{t('insight.weights.caption')}</p>
      {!firstLayer && <p className="muted insight-empty">{t('insight.weights.empty')}</p>}
      <div
        ref={gridRef}
        className="weight-grid"
        data-testid="weight-grid"
        data-units={units}
        data-scale={scaleMode}
        role={firstLayer ? 'img' : undefined}
        aria-label={firstLayer ? t('insight.weights.gridLabel', { units }) : undefined}
      >
        {Array.from({ length: shown }, (_, u) => (
          <canvas key={u} width={IMAGE_SIZE} height={IMAGE_SIZE} data-testid="weight-unit" aria-hidden="true" />
        ))}
      </div>
      {firstLayer && (
        <p className="muted weight-legend">
          <span className="weight-ramp" aria-hidden="true" />
          <span>
            {t('insight.weights.legend')}{' '}
            {scaleMode === 'unit' ? t('insight.weights.legendUnit') : t('insight.weights.legendShared', { max: globalMax.toPrecision(2) })}
            {units > shown && ` ${t('insight.weights.showing', { shown: formatInteger(shown), units: formatInteger(units) })}`}
          </span>
        </p>
      )}
    </section>
  );
});
