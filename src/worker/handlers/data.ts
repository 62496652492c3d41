/** Loading the dataset, and with it the shipped model so a visitor can draw at once. */
import { IMAGE_PIXELS } from '../../shared/constants';
import { errorMessage } from '../../shared/errorMessage';
import type { DataInfo } from '../../shared/protocol';
import { DEFAULT_CONFIG, type BackendChoice } from '../../shared/trainConfig';
import { DataError, loadMnist, type MnistData } from '../dataset';
import { EngineError } from '../errors';
import type { WorkerSession } from '../session';
import type { HandlersFor } from './types';

/** Test digits shown in the sample strip. */
const SAMPLE_COUNT = 24;
/** Most data-progress events a second. */
const PROGRESS_EVERY_MS = 33;

/**
 * Starts the page's backend choice (a named one without auto's race). One that cannot start here gives way to
 * auto's choice, so the shipped model still reads; Train then says why the named one cannot start.
 */
async function startBackend(s: WorkerSession, choice: BackendChoice): Promise<void> {
  const fault = (e: unknown) => s.post({ type: 'fault', code: 'backend', message: errorMessage(e) });
  try {
    await s.backend.use(choice);
  } catch (e) {
    if (choice === 'auto') fault(e);
    else await s.backend.use('auto').catch(fault);
  }
}

export const dataHandlers: HandlersFor<'loadData'> = {
  async loadData(s, { baseUrl, bundledModelUrl, backend = DEFAULT_CONFIG.backend }) {
    s.bundledModelUrl = bundledModelUrl;
    const t0 = performance.now();
    // The page's backend starts while the data loads, so the page can show it early.
    const started = startBackend(s, backend);
    let lastPost = 0;
    let data: MnistData;
    try {
      data = await loadMnist(baseUrl, (loadedBytes, totalBytes) => {
        const now = performance.now();
        if (now - lastPost > PROGRESS_EVERY_MS || loadedBytes === totalBytes) {
          lastPost = now;
          s.post({ type: 'dataProgress', loadedBytes, totalBytes });
        }
      });
    } catch (e) {
      throw e instanceof DataError ? new EngineError('data', e.message) : e;
    }
    s.setData(data);
    const info: DataInfo = {
      trainCount: data.train.count,
      testCount: data.test.count,
      samplePixels: data.test.images.slice(0, SAMPLE_COUNT * IMAGE_PIXELS),
      sampleLabels: Array.from(data.test.labels.subarray(0, SAMPLE_COUNT)),
      elapsedMs: performance.now() - t0,
    };
    // The shipped model, so a visitor can draw before training (the page offers Train once this answers).
    if (bundledModelUrl && !s.engine.hasModel) {
      await started;
      await s.loadBundled().catch((e: unknown) => s.post({ type: 'fault', code: 'model', message: errorMessage(e) }));
    }
    return info;
  },
};
