/** Signed values drawn as pictures on one canvas: `count` tiles of 28×28 in a grid, each tile on its own symmetric scale (or one shared). */
import { memo, useEffect, useRef } from 'react';
import { signedRgb } from './stepFormat';

const SIDE = 28;
const GAP = 2;
/** Extra space between groups of tiles (a unit's before · change · after). */
const GROUP_GAP = 8;

export interface Tile {
  /** [784] values, pixel-major. */
  values: ArrayLike<number>;
  /** The symmetric scale (|value| at full colour). */
  scale: number;
}

interface Props {
  tiles: readonly Tile[];
  /** Tiles per row. */
  columns: number;
  /** Read aloud: what the pictures show. */
  label: string;
  /** Draw 0..1 ink dark on white instead of signed colours (the example as drawn). */
  ink?: boolean;
  /** Tiles per group in a row (e.g. 3: before · change · after), set apart by a wider gap. */
  group?: number;
  className?: string;
  testId?: string;
}

export const SignedPicture = memo(function SignedPicture({
  tiles,
  columns,
  label,
  group = columns,
  ink = false,
  className,
  testId,
}: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const rows = Math.ceil(tiles.length / columns);
  const x = (col: number) => col * (SIDE + GAP) + Math.floor(col / group) * GROUP_GAP;
  const width = x(columns - 1) + SIDE;
  const height = rows * (SIDE + GAP) - GAP;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(width, height);
    tiles.forEach((tile, n) => {
      const ox = x(n % columns);
      const oy = Math.floor(n / columns) * (SIDE + GAP);
      for (let p = 0; p < SIDE * SIDE; p++) {
        const v = tile.values[p]!;
        const gray = Math.round(255 * (1 - Math.max(0, Math.min(1, v))));
        const [r, g, b] = ink ? [gray, gray, gray] : signedRgb(v, tile.scale);
        const o = ((oy + Math.floor(p / SIDE)) * width + ox + (p % SIDE)) * 4;
        img.data[o] = r;
        img.data[o + 1] = g;
        img.data[o + 2] = b;
        img.data[o + 3] = 255;
      }
    });
    ctx.putImageData(img, 0, 0);
    // x depends only on columns and group.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tiles, columns, group, ink, width, height]);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      className={`step-picture ${className ?? ''}`}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
});
