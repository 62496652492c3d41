/** The model library: saved models in IndexedDB, export and import as TF.js files, the shipped models. */
import { kerasWeightsOf } from '../kerasExport';
import * as store from '../modelStore';
import type { HandlersFor } from './types';

export const modelLibraryHandlers: HandlersFor<
  'listModels' | 'saveModel' | 'loadModel' | 'deleteModel' | 'exportModel' | 'exportWeights' | 'importModel' | 'loadBundledModel'
> = {
  async listModels() {
    return store.listModels();
  },

  async saveModel(s, { name }) {
    const info = s.engine.info;
    await s.withLayersModel((model) => store.saveModel(model, name, info.config, info.testAccuracy));
    return store.listModels();
  },

  async loadModel(s, { modelId }) {
    await s.backend.settled();
    const { info, model } = await store.readSavedModel(modelId);
    const description = `${info.name} (saved ${info.savedAt.slice(0, 10)})`;
    return s.adopt(model, { source: 'saved', description, config: info.config, testAccuracy: info.testAccuracy });
  },

  async deleteModel(_s, { modelId }) {
    await store.deleteModel(modelId);
    return store.listModels();
  },

  async exportModel(s) {
    const { description, config, testAccuracy } = s.engine.info;
    return s.withLayersModel((model) => store.exportModel(model, { description, config, testAccuracy }));
  },

  async exportWeights(s) {
    const { engine } = s;
    return s.withLayersModel((model) => kerasWeightsOf(model, engine.info, engine.modelActivation!, s.data?.train ?? null));
  },

  async importModel(s, { files }) {
    await s.backend.settled();
    const { model, summary } = await store.parseModelFiles(files);
    return s.adopt(model, { source: 'imported', description: `imported model ${summary}`, config: null, testAccuracy: null });
  },

  async loadBundledModel(s, { robust }) {
    return s.loadBundled(robust ?? false);
  },
};
