/**
 * The imperative half of the drawing pad (no React): strokes, pointer handling,
 * canvas rendering, preprocessing and the one-request-in-flight prediction loop.
 * Everything here is cheap: pointer handlers only append points and ask for an
 * animation frame; a frame redraws the visible canvas and, at most once per frame,
 * preprocesses (~1 ms) and sends a prediction if none is in flight.
 */
import { msg, type Words } from '../i18n/message';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../shared/constants';
import { LatestOnlyQueue } from './latestOnlyQueue';
import { strokesToInput } from './strokeInput';
import { addPoint, renderStrokes, type Stroke, type StrokePoint } from './strokes';
import { grayToRgba } from '../shared/grayImage';

/** What `predict` answers: probabilities [10], or null with the reason. */
export interface PredictResult {
  probs: Float32Array | null;
  reason?: Words;
}

/** What the pad shows: nothing, the user's strokes, or an image loaded from outside. */
export type PadContent = 'empty' | 'drawing' | 'external';

/** When an input sent to the model was taken. */
export interface InputInfo {
  inputVersion: number;
  settled: boolean;
}

interface ModelInput extends InputInfo {
  pixels: Float32Array;
}

export interface DrawingCallbacks {
  predict(pixels: Float32Array): Promise<PredictResult>;
  /**
   * A prediction for the current input, or null when there is nothing to predict.
   * `inputVersion` changes whenever the input changes by a finished action (stroke
   * end, undo, clear, external image); `settled` is false when the input was taken
   * mid-stroke (a live preview), true when no stroke was under way. `pixels` is the
   * input [784] the result is for (absent without a result).
   */
  onResult(result: PredictResult | null, info: InputInfo & { pixels?: Float32Array }): void;
  /** The 28x28 input just sent to the model ([784], 0..1), or null. */
  onInput?(pixels: Float32Array | null): void;
  onContentChange(content: PadContent): void;
}

const INK_COLOR = '#fff';

export class DrawingController {
  private strokes: Stroke[] = [];
  private current: Stroke | null = null;
  private pointerId: number | null = null;
  private rect: DOMRect | null = null;
  /** Pixels [784] 0..1 of an image loaded from outside, shown while there are no strokes. */
  private external: Float32Array | null = null;
  private externalImage: HTMLCanvasElement | null = null;
  /** What the last Clear removed, so Undo can bring it back (forgotten at the next stroke or image). */
  private cleared: { strokes: Stroke[]; external: Float32Array | null } | null = null;
  private frame = 0;
  private predictOnFrame = false;
  private inputVersion = 0;
  private readonly queue: LatestOnlyQueue<ModelInput, PredictResult>;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly preview: HTMLCanvasElement,
    /** Read on every use, so React can swap in the latest props. */
    private readonly callbacks: () => DrawingCallbacks,
  ) {
    this.queue = new LatestOnlyQueue(
      () => this.produceInput(),
      // A copy: predict may transfer its buffer, and the verdict reads the input later.
      (input) => this.callbacks().predict(input.pixels.slice()),
      (result, { inputVersion, settled, pixels }) => this.callbacks().onResult(result, { inputVersion, settled, pixels }),
      () => this.callbacks().onResult(null, this.info()),
      (error) =>
        this.callbacks().onResult(
          { probs: null, reason: msg('errors.worker.predictFailed', { why: error instanceof Error ? error.message : String(error) }) },
          this.info(),
        ),
    );
    this.drawPreview(null);
  }

  get content(): PadContent {
    if (this.strokes.length > 0) return 'drawing';
    return this.external ? 'external' : 'empty';
  }

  // ------------------------------------------------------------- pointer input

  pointerDown(e: PointerEvent): void {
    if (this.pointerId !== null) return; // one stroke at a time (a second finger is ignored)
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    this.pointerId = e.pointerId;
    this.rect = this.canvas.getBoundingClientRect();
    if (this.external) {
      this.external = null;
      this.externalImage = null;
    }
    this.cleared = null;
    this.current = [this.toPoint(e)];
    this.strokes.push(this.current);
    this.callbacks().onContentChange('drawing');
    this.scheduleFrame(true);
  }

  pointerMove(e: PointerEvent): void {
    if (e.pointerId !== this.pointerId || !this.current) return;
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    let added = false;
    for (const ev of events.length > 0 ? events : [e]) added = addPoint(this.current, this.toPoint(ev)) || added;
    if (added) this.scheduleFrame(true);
  }

  /** pointerup, pointercancel and lostpointercapture: the stroke ends, and is predicted at once. */
  pointerUp(e: PointerEvent): void {
    if (e.pointerId !== this.pointerId || !this.current) return;
    if (e.type === 'pointerup') addPoint(this.current, this.toPoint(e));
    this.pointerId = null;
    this.current = null;
    this.rect = null;
    performance.mark('stroke-end');
    this.inputVersion++;
    this.flushNow();
  }

  // ------------------------------------------------------------------ actions

  /** Removes the last stroke (or the loaded image when no strokes are left); on an empty pad, brings back what Clear removed. */
  undo(): void {
    if (this.current) return; // not while a stroke is under way
    if (this.strokes.length > 0) this.strokes.pop();
    else if (this.external) this.setExternalPixels(null);
    else if (this.cleared) {
      this.strokes = this.cleared.strokes;
      this.setExternalPixels(this.cleared.external);
      this.cleared = null;
    }
    this.afterEdit();
  }

  clear(): void {
    if (this.pointerId !== null && this.canvas.hasPointerCapture(this.pointerId)) this.canvas.releasePointerCapture(this.pointerId);
    if (this.strokes.length > 0 || this.external) this.cleared = { strokes: this.strokes, external: this.external };
    this.pointerId = null;
    this.current = null;
    this.strokes = [];
    this.setExternalPixels(null);
    this.afterEdit();
  }

  /** Replaces the drawing with a 28x28 image ([784], 0..1, white ink on black) and predicts it. */
  loadExternal(pixels: Float32Array): void {
    if (pixels.length !== IMAGE_PIXELS) throw new Error(`loadExternal: ${pixels.length} pixels, expected ${IMAGE_PIXELS}`); // i18n-ignore: a programming error, never shown
    this.pointerId = null;
    this.current = null;
    this.strokes = [];
    this.cleared = null;
    this.setExternalPixels(pixels);
    this.afterEdit();
  }

  /** Predicts the current input again (the model changed). */
  refresh(): void {
    if (this.content !== 'empty') this.queue.request();
  }

  /** Matches the backing store to the canvas's CSS size x devicePixelRatio and redraws. */
  resize(devicePixels?: number): void {
    const side = Math.max(1, Math.round(devicePixels ?? this.canvas.clientWidth * (window.devicePixelRatio || 1)));
    if (this.canvas.width !== side || this.canvas.height !== side) {
      this.canvas.width = side;
      this.canvas.height = side;
    }
    this.redraw();
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.queue.reset();
  }

  // ------------------------------------------------------------------ internals

  private info(): InputInfo {
    return { inputVersion: this.inputVersion, settled: this.pointerId === null };
  }

  private afterEdit(): void {
    this.inputVersion++;
    // A stale answer (for strokes now gone) must not show after the input changed shape.
    this.queue.reset();
    this.callbacks().onContentChange(this.content);
    this.flushNow();
  }

  private setExternalPixels(pixels: Float32Array | null): void {
    this.external = pixels;
    this.externalImage = null;
    if (!pixels) return;
    const img = document.createElement('canvas');
    img.width = IMAGE_SIZE;
    img.height = IMAGE_SIZE;
    const ctx = img.getContext('2d');
    if (!ctx) return;
    const data = ctx.createImageData(IMAGE_SIZE, IMAGE_SIZE);
    for (let i = 0; i < IMAGE_PIXELS; i++) {
      data.data[i * 4] = 255;
      data.data[i * 4 + 1] = 255;
      data.data[i * 4 + 2] = 255;
      data.data[i * 4 + 3] = Math.round(Math.min(1, Math.max(0, pixels[i] ?? 0)) * 255);
    }
    ctx.putImageData(data, 0, 0);
    this.externalImage = img;
  }

  private toPoint(e: PointerEvent): StrokePoint {
    const r = this.rect ?? this.canvas.getBoundingClientRect();
    return { x: (e.clientX - r.left) / (r.width || 1), y: (e.clientY - r.top) / (r.height || 1) };
  }

  private scheduleFrame(predict: boolean): void {
    this.predictOnFrame ||= predict;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.redraw();
      if (this.predictOnFrame) {
        this.predictOnFrame = false;
        this.queue.request();
      }
    });
  }

  /** Redraws and asks for a prediction now, without waiting for the next frame. */
  private flushNow(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.predictOnFrame = false;
    this.redraw();
    this.queue.request();
  }

  private redraw(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const size = this.canvas.width;
    ctx.clearRect(0, 0, size, this.canvas.height);
    if (this.externalImage && this.strokes.length === 0) {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(this.externalImage, 0, 0, size, size);
    }
    renderStrokes(ctx, this.strokes, size, INK_COLOR);
  }

  /**
   * The model's input for what is shown now: the strokes re-rendered with a pen
   * proportional to the drawing's size (see strokeInput.ts; the screen keeps the fixed
   * pen), the external image, or null.
   */
  private produceInput(): ModelInput | null {
    let pixels: Float32Array | null = null;
    if (this.strokes.length > 0) {
      pixels = strokesToInput(this.strokes);
    } else if (this.external) {
      pixels = this.external.slice();
    }
    this.drawPreview(pixels);
    this.callbacks().onInput?.(pixels);
    return pixels ? { pixels, ...this.info() } : null;
  }

  private drawPreview(pixels: Float32Array | null): void {
    const ctx = this.preview.getContext('2d');
    if (!ctx) return;
    const img = new ImageData(grayToRgba(pixels ?? new Float32Array(IMAGE_PIXELS), 1), IMAGE_SIZE, IMAGE_SIZE);
    ctx.putImageData(img, 0, 0);
  }
}
