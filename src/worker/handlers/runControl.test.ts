import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../shared/trainConfig';
import { EngineError } from '../errors';
import type { WorkerSession } from '../session';
import { refuseWhatCannotFit, runControlHandlers } from './runControl';

const LARGEST: TrainConfig = { ...DEFAULT_CONFIG, hiddenUnits: new Array<number>(8).fill(1024), batchSize: 2048 };

describe('the worker refuses a run that cannot fit, whoever sent it', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('refuses 8 x 1,024 at batch 2,048 on a 2 GB device with what to change, before the backend or the engine move', async () => {
    vi.stubGlobal('navigator', { deviceMemory: 2 });
    const use = vi.fn();
    const train = vi.fn();
    const s = { backend: { use }, engine: { train } } as unknown as WorkerSession;
    const refused = runControlHandlers.train(s, { type: 'train', id: 1, config: LARGEST });
    await expect(refused).rejects.toBeInstanceOf(EngineError);
    await expect(refused).rejects.toThrow(/more than this device can give the page.*smaller batch/);
    expect(use).not.toHaveBeenCalled();
    expect(train).not.toHaveBeenCalled();
  });

  it('lets the recipe through on the same device, and the largest network at batch 32 on an 8 GB one', () => {
    vi.stubGlobal('navigator', { deviceMemory: 2 });
    expect(() => refuseWhatCannotFit(DEFAULT_CONFIG)).not.toThrow();
    vi.stubGlobal('navigator', { deviceMemory: 8 });
    expect(() => refuseWhatCannotFit({ ...LARGEST, batchSize: 32 })).not.toThrow();
  });

  it('without navigator.deviceMemory plans for 2 GiB, the WASM heap limit: the run refused on a 2 GB device fits there', () => {
    vi.stubGlobal('navigator', {});
    expect(() => refuseWhatCannotFit(LARGEST)).not.toThrow();
  });
});
