/** Loading the dataset, and with it the shipped model so a visitor can draw at once. */
import { IMAGE_PIXELS } from '../../shared/constants';
import { errorMessage } from '../../shared/errorMessage';
import type { DataInfo } from '../../shared/protocol';
import { DEFAULT_CONFIG } from '../../shared/trainConfig';
import { DataError, loadMnist, type MnistData } from '../dataset';
import { EngineError } from '../errors';
import type { HandlersFor } from './types';

/** Test digits shown in the sample strip. */
const SAMPLE_COUNT = 24;
/** Most data-progress events a second. */
const PROGRESS_EVERY_MS = 33;

export const dataHandlers: HandlersFor<'loadData'> = {
  async loadData(s, { baseUrl, bundledModelUrl }) {
    s.bundledModelUrl = bundledModelUrl;
    const t0 = performance.now();
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
      await s.backend.use(DEFAULT_CONFIG.backend).catch(() => {});
      await s.loadBundled().catch((e: unknown) => s.post({ type: 'fault', code: 'model', message: errorMessage(e) }));
    }
    return info;
  },
};
