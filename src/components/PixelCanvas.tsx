import { memo, useEffect, useRef, type CanvasHTMLAttributes } from 'react';
import { IMAGE_SIZE } from '../shared/constants';

export interface PixelCanvasProps extends Omit<CanvasHTMLAttributes<HTMLCanvasElement>, 'width' | 'height'> {
  /** [width * height * 4] RGBA bytes to show, or null for a blank (black) canvas. */
  rgba: Uint8ClampedArray<ArrayBuffer> | null;
  /** Pixels; a 28x28 digit by default. CSS scales it up (crisply with `image-rendering: pixelated`). */
  width?: number;
  height?: number;
  testId?: string;
}

/**
 * A small picture drawn from RGBA bytes: the one canvas behind every digit, dream and saliency
 * map on the page. It paints when `rgba` changes (a new array), so give it a memoised one.
 */
export const PixelCanvas = memo(function PixelCanvas({ rgba, width = IMAGE_SIZE, height = IMAGE_SIZE, testId, ...rest }: PixelCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    if (rgba && rgba.length === width * height * 4) ctx.putImageData(new ImageData(rgba, width, height), 0, 0);
    else ctx.clearRect(0, 0, width, height);
  }, [rgba, width, height]);
  return <canvas ref={ref} width={width} height={height} data-testid={testId} {...rest} />;
});
