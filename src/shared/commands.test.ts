import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  decide,
  MAX_DREAM_STEPS,
  paramsProblem,
  REFUSALS,
  refusal,
  refusalAtStart,
  REQUEST_TYPES,
  type CommandState,
} from './commands';
import { DEFAULT_CONFIG } from './trainConfig';

const idle: CommandState = { run: 'none', loading: false, busy: false, data: true, model: true };
const training: CommandState = { ...idle, run: 'running', busy: true };
const runQueued: CommandState = { ...idle, run: 'queued', busy: true };
const loading: CommandState = { ...idle, loading: true, busy: true, data: false, model: false };

describe('the command table', () => {
  it('has one row per request, each refusal a sentence', () => {
    expect(REQUEST_TYPES).toHaveLength(new Set(REQUEST_TYPES).size);
    for (const type of REQUEST_TYPES) expect(['immediate', 'exclusive']).toContain(COMMANDS[type].mode);
    for (const [key, text] of Object.entries(REFUSALS)) expect(text, key).toMatch(/^[A-Z].*\.$/);
  });

  it('runs immediate commands at once, whatever runs', () => {
    for (const type of ['predict', 'inspect', 'evaluateMine', 'testImages', 'listModels', 'deleteModel', 'ping'] as const) {
      expect(decide(type, training)).toEqual({ kind: 'now' });
      expect(decide(type, loading)).toEqual({ kind: 'now' });
    }
    for (const type of ['pause', 'resume', 'stop'] as const) expect(decide(type, training)).toEqual({ kind: 'now' });
  });

  it('runs an exclusive command now when idle, queues it behind another', () => {
    expect(decide('evaluate', idle)).toEqual({ kind: 'now' });
    const busy = { ...idle, busy: true };
    expect(decide('evaluate', busy)).toEqual({ kind: 'queue' });
    expect(decide('train', busy)).toEqual({ kind: 'queue' });
    expect(decide('reset', busy)).toEqual({ kind: 'queue' });
    expect(decide('fineTune', busy)).toEqual({ kind: 'queue' });
  });

  it('refuses, with one sentence per key, what cannot apply while a run is under way or waiting', () => {
    for (const s of [training, runQueued, { ...training, run: 'paused' as const }]) {
      expect(decide('loadBundledModel', s)).toEqual({ kind: 'refuse', key: 'stopToLoad' });
      expect(decide('loadModel', s)).toEqual({ kind: 'refuse', key: 'stopToLoad' });
      expect(decide('importModel', s)).toEqual({ kind: 'refuse', key: 'stopToLoad' });
      expect(decide('train', s)).toEqual({ kind: 'refuse', key: 'training' });
      expect(decide('fineTune', s)).toEqual({ kind: 'refuse', key: 'training' });
      expect(decide('evaluate', s)).toEqual({ kind: 'refuse', key: 'stopToEvaluate' });
      expect(decide('dream', s)).toEqual({ kind: 'refuse', key: 'stopToDream' });
      expect(decide('saveModel', s)).toEqual({ kind: 'refuse', key: 'stopToSave' });
      expect(decide('exportModel', s)).toEqual({ kind: 'refuse', key: 'stopToExport' });
      expect(decide('reset', s)).toEqual({ kind: 'queue' });
    }
    expect(REFUSALS.stopToLoad).toBe('Stop training to load a model.');
  });

  it('needs the data loaded, a model, something to pause or stop, in the row order', () => {
    expect(refusal('train', loading)).toBe('dataLoading');
    expect(refusal('train', { ...idle, data: false })).toBe('noData');
    expect(refusal('loadData', loading)).toBe('alreadyLoading');
    expect(refusal('loadData', idle)).toBeNull();
    expect(refusal('evaluate', { ...idle, model: false })).toBe('noModel');
    // data first, then the run, then the model
    expect(refusal('evaluate', { ...training, model: false, data: false })).toBe('noData');
    expect(refusal('evaluate', { ...training, model: false })).toBe('stopToEvaluate');
    expect(refusal('dream', { ...idle, model: false })).toBe('noModel');
    expect(refusal('pause', idle)).toBe('nothingTraining');
    expect(refusal('pause', runQueued)).toBe('nothingTraining');
    expect(refusal('stop', runQueued)).toBeNull();
    expect(refusal('stop', idle)).toBe('nothingTraining');
  });

  it('Stop and Reset cancel a run that has not started; Reset also ends one running', () => {
    for (const type of ['stop', 'reset'] as const) expect(COMMANDS[type].cancelsQueued).toEqual(['train', 'fineTune']);
    expect(COMMANDS.reset.cancelsRunning).toEqual(['train', 'fineTune']);
    expect(COMMANDS.stop.cancelsRunning).toBeUndefined();
    expect(COMMANDS.evaluate.cancelsQueued).toBeUndefined();
  });

  it('checks the facts again when a queued command gets its turn, not its place', () => {
    expect(refusalAtStart('evaluate', { data: true, model: false })).toBe('noModel');
    expect(refusalAtStart('train', { data: false, model: false })).toBe('noData');
    expect(refusalAtStart('loadModel', { data: false, model: false })).toBeNull();
  });
});

describe('the table checks parameters, every number with a bound', () => {
  const config = { ...DEFAULT_CONFIG, hiddenUnits: [64, 64] };
  it('accepts what the page sends', () => {
    expect(paramsProblem('train', { config, continueTraining: true })).toBeNull();
    expect(paramsProblem('predict', { pixels: new Float32Array(784).fill(0.5) })).toBeNull();
    expect(paramsProblem('dream', {})).toBeNull();
    expect(paramsProblem('dream', { steps: 200 })).toBeNull();
    expect(paramsProblem('testImages', { label: 4, predicted: 9, limit: 60 })).toBeNull();
    expect(paramsProblem('loadData', { baseUrl: 'http://localhost:4173/data/', bundledModelUrl: null })).toBeNull();
    expect(paramsProblem('loadData', { baseUrl: 'http://localhost:4173/data/', bundledModelUrl: null, backend: 'wasm' })).toBeNull();
    expect(paramsProblem('evaluateMine', { digits: { images: new Uint8Array(784 * 2), labels: Uint8Array.of(1, 7) } })).toBeNull();
  });
  it('refuses out-of-range numbers with what was wrong', () => {
    expect(paramsProblem('dream', { steps: 1e9 })).toBe(`steps must be a whole number from 1 to ${MAX_DREAM_STEPS} (got 1000000000)`);
    expect(paramsProblem('dream', { steps: 2.5 })).toMatch(/whole number/);
    expect(paramsProblem('testImages', { label: 10, predicted: 0, limit: 5 })).toMatch(/^label must be a whole number from 0 to 9/);
    expect(paramsProblem('testImages', { label: 1, predicted: 0, limit: 1e9 })).toMatch(/^limit/);
    expect(paramsProblem('train', { config: { ...config, epochs: 1e6 } })).toMatch(/Epochs must be between 1 and 200/);
    expect(paramsProblem('train', { config: { ...config, batchSize: -1 } })).toMatch(/Batch size/);
    expect(paramsProblem('train', { config: { ...config, hiddenUnits: [64, 5000] } })).toMatch(/1 to 1024 units/);
  });
  it('refuses missing and ill-typed parameters and arrays of the wrong length', () => {
    expect(paramsProblem('predict', {})).toMatch(/^pixels must be a Float32Array of 784/);
    expect(paramsProblem('predict', { pixels: new Float32Array(10) })).toBe('pixels must hold 784 values (got 10)');
    expect(paramsProblem('predict', { pixels: new Float32Array(784).fill(NaN) })).toMatch(/from 0 to 1/);
    expect(paramsProblem('inspect', { pixels: [0.5] })).toMatch(/Float32Array/);
    expect(paramsProblem('train', {})).toMatch(/^config must be an object/);
    expect(paramsProblem('train', { config: { ...config, hiddenUnits: 'lots' } })).toMatch(/hiddenUnits must be a list of numbers/);
    expect(paramsProblem('train', { config: { ...config, optimizer: 3 } })).toMatch(/optimizer must be a string/);
    expect(paramsProblem('train', { config, continueTraining: 'yes' })).toMatch(/continueTraining must be true or false/);
    expect(paramsProblem('saveModel', { name: '' })).toMatch(/1 to 200 characters/);
    expect(paramsProblem('loadModel', {})).toMatch(/^modelId/);
    expect(paramsProblem('loadData', { baseUrl: 'javascript:alert(1)', bundledModelUrl: null })).toMatch(/http/);
    expect(paramsProblem('loadData', { baseUrl: 'http://localhost:4173/data/', bundledModelUrl: null, backend: 'tpu' })).toBe(
      'backend must be one of auto, webgl, webgpu, wasm, cpu (got "tpu")',
    );
    expect(paramsProblem('evaluateMine', { digits: { images: new Uint8Array(700), labels: Uint8Array.of(1) } })).toMatch(/784/);
    expect(paramsProblem('fineTune', { config, digits: { images: new Uint8Array(784), labels: Uint8Array.of(12) } })).toMatch(/0 to 9/);
    expect(
      paramsProblem('importModel', { files: { modelJson: '{}', weights: new ArrayBuffer(20_000_001), weightsName: 'w.bin' } }),
    ).toMatch(/at most 20000000 bytes/);
  });
});
