/// <reference lib="webworker" />
/**
 * Choosing and starting the TensorFlow.js backend in the worker (browser only:
 * OffscreenCanvas, WebGL probing, the .wasm files served by our own server).
 * `auto` races a few dozen real training steps on each backend that starts and
 * takes the fastest (backendRace.ts; remembered per shape and browser); the
 * old rule (WebGL on a hardware GPU, else WASM, else cpu) is the fallback.
 * WebGL comes with `@tensorflow/tfjs` anyway; WASM and WebGPU load on demand.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgl';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
// The WASM and WebGPU backends are imported when they start (see start()), so
// their code and the .wasm binaries load only for a visitor who trains on them.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { backendName } from '../shared/backendNames';
import type { BackendName, RaceEntry, WorkerEvent } from '../shared/protocol';
import { DEFAULT_CONFIG, type BackendChoice } from '../shared/trainConfig';
import {
  decideRace,
  indexedDbCache,
  measureSteps,
  RACE_ORDER,
  raceKey,
  raceNote,
  raceOrRecall,
  runRace,
  type RaceShape,
} from './backendRace';
import { EngineError } from './errors';
import './kernel/browserKernel';
import { trainPathFor, trainPathNote } from './trainPath';
import { reportCoresFor, threadSafeGlue } from './wasmThreads';

export type ReadyEvent = Extract<WorkerEvent, { type: 'ready' }>;

/** What a WebGL2 probe on an OffscreenCanvas found. */
export interface WebGLProbe {
  available: boolean;
  /** Unmasked renderer (WEBGL_debug_renderer_info), or the masked one. */
  renderer: string;
  /** SwiftShader, llvmpipe or another software rasteriser. */
  software: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

let wasmConfigured = false;
let probe: WebGLProbe | null = null;
/** The active selection; `key` is the raced shape's cache key for `auto`. */
let current: { choice: BackendChoice; key: string | null; ready: ReadyEvent } | null = null;

/**
 * Backends whose device was lost in this worker (a lost WebGL context): TF.js would hand the
 * dead instance back, so they do not start again until the worker is restarted.
 */
const lost = new Set<BackendName>();

/** Timed part of each backend's lane in `auto`'s race, ms (plus two untimed warm-up steps). */
const RACE_LANE_MS = 150;
let removeLostListener: (() => void) | null = null;

/** One lane of the race on the active backend: samples/s of real steps of `shape`. */
const laneSpeed = (shape: RaceShape) => measureSteps(shape, RACE_LANE_MS, 30);

/** Probes WebGL2 once (cached): is it there, what renders it, is it software. */
export function probeWebGL(): WebGLProbe {
  if (probe) return probe;
  probe = { available: false, renderer: '', software: false };
  if (typeof OffscreenCanvas === 'undefined') return probe;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return probe;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  // TF.js asks for failIfMajorPerformanceCaveat: a context refused with it is a software one.
  const strict = new OffscreenCanvas(1, 1).getContext('webgl2', { failIfMajorPerformanceCaveat: true });
  probe = { available: true, renderer, software: SOFTWARE.test(renderer) || !strict };
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  strict?.getExtension('WEBGL_lose_context')?.loseContext();
  return probe;
}

let restoreBlob: (() => void) | null = null;
let restoreCores: (() => void) | null = null;

/**
 * XNNPACK threads asked for. One by default: at this model's sizes (batch 32,
 * 784x64 at most) a second thread costs more in hand-offs than it saves
 * (`npm run bench`, 2 cores: 2 threads about half the samples/s of 1).
 */
let wasmThreadsWanted = 1;

/** Sets the WASM thread count for the next start of the WASM backend (bench: 1- vs n-thread figures). */
export function setWasmThreads(threads: number): void {
  wasmThreadsWanted = threads;
}

/** The WASM backend's module, once imported (registers the 'wasm' backend). */
let wasmModule: typeof import('@tensorflow/tfjs-backend-wasm') | null = null;

async function configureWasm(): Promise<void> {
  if (wasmConfigured) return;
  const { setThreadsCount, setWasmPaths } = (wasmModule = await import('@tensorflow/tfjs-backend-wasm'));
  wasmConfigured = true;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': simdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdUrl,
  });
  // Threads need SharedArrayBuffer, i.e. a cross-origin isolated page (COOP/COEP).
  if (self.crossOriginIsolated) {
    try {
      restoreBlob = await threadSafeGlue();
      const threads = Math.max(1, Math.min(wasmThreadsWanted, 8));
      setThreadsCount(threads);
      restoreCores = reportCoresFor(threads);
    } catch {
      setThreadsCount(1);
    }
  }
}

/**
 * Imports the WebGPU backend (registers 'webgpu'); false when this browser has no WebGPU or no adapter for it (a
 * browser with WebGPU but no GPU: the backend's factory would fail with a TypeError logged, after a 0.3 s import).
 */
async function loadWebGPU(): Promise<boolean> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu || !(await gpu.requestAdapter().catch(() => null))) return false;
  await import('@tensorflow/tfjs-backend-webgpu');
  return true;
}

async function start(name: BackendName): Promise<boolean> {
  if (lost.has(name)) return false;
  if (name === 'webgl' && probeWebGL().software) tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  try {
    if (name === 'wasm') await configureWasm();
    if (name === 'webgpu' && !(await loadWebGPU())) return false;
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    return tf.getBackend() === name;
  } catch {
    return false;
  } finally {
    if (name === 'wasm') {
      restoreBlob?.();
      restoreBlob = null;
      restoreCores?.();
      restoreCores = null;
    }
  }
}

function describe(name: BackendName): string {
  switch (name) {
    case 'webgl':
      return probeWebGL().renderer || backendName('webgl');
    case 'webgpu':
      return backendName('webgpu');
    case 'wasm': {
      const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
      const threads = wasmModule?.getThreadsCount() ?? 1;
      const mt = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
      const tfjs = `CPU: WebAssembly${simd ? ' SIMD' : ''}${mt ? ' (threaded build)' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`;
      return trainPathFor('wasm') === 'tfjs' ? tfjs : `WASM SIMD training kernel; predictions on TF.js ${tfjs}`;
    }
    case 'cpu':
      return 'CPU: plain JavaScript';
  }
}

/** The race's cache key for `choice` and `shape` (null unless auto). */
function selectionKey(choice: BackendChoice, shape: RaceShape): string | null {
  return choice === 'auto' ? raceKey(shape, navigator.userAgent) : null;
}

/** True when `choice` (for auto: raced on `shape`'s key) is the active selection. */
export function isActive(choice: BackendChoice, shape: RaceShape = DEFAULT_CONFIG): boolean {
  return current?.choice === choice && current.key === selectionKey(choice, shape);
}

/**
 * `auto`: race a few dozen real training steps of `shape` on each backend that
 * starts (remembered per shape and browser), and take the fastest. Null when
 * no backend finished its steps.
 */
async function raceForAuto(shape: RaceShape, key: string): Promise<{ name: BackendName; entries: RaceEntry[]; note: string } | null> {
  const gl = probeWebGL();
  const candidates = RACE_ORDER.filter((b) => !lost.has(b) && (b === 'webgl' ? gl.available : b === 'webgpu' ? 'gpu' in navigator : true));
  const { verdict, cached } = await raceOrRecall(key, indexedDbCache(), () => runRace(candidates, start, () => laneSpeed(shape)));
  if (!verdict) return null;
  let name = verdict.winner;
  // A remembered winner that no longer starts (a GPU gone): the next fastest that does.
  if (!(await start(name))) {
    const rest = verdict.entries.filter((e) => e.backend !== name);
    const next = decideRace(rest);
    if (!next || !(await start(next))) return null;
    name = next;
  }
  const soft =
    name !== 'webgl' && gl.software ? ` (WebGL runs on ${/swiftshader/i.test(gl.renderer) ? 'SwiftShader' : 'a software rasteriser'})` : '';
  return { name, entries: verdict.entries, note: `${raceNote(verdict.entries, name)}${cached ? ', measured before' : ''}${soft}` };
}

/**
 * Starts the backend for `choice` (no-op when it is already the active one).
 * `auto` takes the backend that trains `shape` fastest here (see raceForAuto).
 * @returns the `ready` event to post, and whether the backend changed.
 * @throws EngineError 'backend' when an explicit choice cannot start.
 */
export async function selectBackend(
  choice: BackendChoice,
  onContextLost: () => void,
  shape: RaceShape = DEFAULT_CONFIG,
): Promise<{ ready: ReadyEvent; changed: boolean }> {
  const key = selectionKey(choice, shape);
  if (current?.choice === choice && current.key === key) return { ready: current.ready, changed: false };
  const gl = probeWebGL();
  let name: BackendName;
  let note: string | null = null;
  let race: RaceEntry[] | null = null;
  if (choice === 'auto') {
    const won = await raceForAuto(shape, key!).catch(() => null);
    if (won) {
      ({ name, note } = won);
      race = [...won.entries].sort((a, b) => (b.samplesPerSec ?? -1) - (a.samplesPerSec ?? -1));
    } else if (gl.available && !gl.software && !lost.has('webgl') && (await start('webgl'))) name = 'webgl';
    else if (await start('wasm')) {
      name = 'wasm';
      const soft = /swiftshader/i.test(gl.renderer) ? 'SwiftShader' : /llvmpipe/i.test(gl.renderer) ? 'llvmpipe' : 'a software rasteriser';
      note = gl.available
        ? `no GPU found (WebGL runs on ${soft}): training on WASM, which is faster here`
        : 'no GPU found: training on WASM, which is faster here';
    } else if (await start('cpu')) {
      name = 'cpu';
      note = 'no GPU and no WebAssembly: training on the plain JavaScript backend (slow)';
    } else throw new EngineError('backend', 'No TensorFlow.js backend could start.');
  } else {
    if (!(await start(choice))) {
      const why = lost.has(choice)
        ? `: its ${choice === 'webgl' ? 'context' : 'device'} was lost in this session (restart the worker to use it again)`
        : choice === 'webgl' && !gl.available
          ? ': this browser has no WebGL2'
          : choice === 'webgpu' && !('gpu' in navigator)
            ? ': this browser has no WebGPU'
            : '';
      throw new EngineError('backend', `The ${backendName(choice)} backend could not start${why}.`, choice);
    }
    name = choice;
    if (choice === 'webgl' && gl.software) note = `WebGL runs in software (${gl.renderer}): expect it to be slow`;
    // Its own lane only (the estimate under Train needs a speed): the others are not started.
    const samplesPerSec = await laneSpeed(shape).catch(() => null);
    race = samplesPerSec ? [{ backend: name, samplesPerSec }] : null;
  }
  watchContext(name, onContextLost);
  // What trains on this backend (the WASM SIMD kernel on wasm), in words.
  const path = trainPathNote(name);
  if (path) note = note ? `${note}. ${path}` : path;
  const ready: ReadyEvent = {
    type: 'ready',
    backend: name,
    renderer: describe(name),
    note,
    softwareRenderer: name === 'webgl' && gl.software,
    race,
  };
  // A new race result is news even when the same backend won it.
  const changed = current?.ready.backend !== name || current.ready.note !== note;
  current = { choice, key, ready };
  return { ready, changed };
}

function webglContext(): WebGL2RenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  return (tf.backend() as MathBackendWebGL).gpgpu.gl as WebGL2RenderingContext;
}

// TF.js recreates a lost context quietly and then computes garbage (tfjs #756): stop ourselves.
function watchContext(name: BackendName, onLost: () => void): void {
  removeLostListener?.();
  removeLostListener = null;
  if (name !== 'webgl') return;
  const canvas = (webglContext() as unknown as { canvas?: OffscreenCanvas } | null)?.canvas;
  if (!canvas) return;
  const handler = (e: Event) => {
    e.preventDefault();
    onLost();
  };
  canvas.addEventListener('webglcontextlost', handler);
  removeLostListener = () => canvas.removeEventListener('webglcontextlost', handler);
}

/**
 * Test hook: loses the WebGL context through WEBGL_lose_context (the
 * `webglcontextlost` listener then reports it). Returns false when the active
 * backend has no WebGL context to lose.
 */
export function simulateContextLoss(): boolean {
  const ext = webglContext()?.getExtension('WEBGL_lose_context');
  if (!ext) return false;
  ext.loseContext();
  return true;
}

/** True when the active backend is WebGL and its context is lost. */
export function isContextLost(): boolean {
  return webglContext()?.isContextLost() ?? false;
}

/** The backend now active (null before the first selection). */
export function activeBackend(): BackendName | null {
  return current?.ready.backend ?? null;
}

/**
 * After a lost context the backend is unusable: it will not start again in this worker, and
 * the next selection starts afresh.
 */
export function markLost(name: BackendName): void {
  lost.add(name);
  removeLostListener?.();
  removeLostListener = null;
  current = null;
}
