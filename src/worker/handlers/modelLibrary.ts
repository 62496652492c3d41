/** The model library: saved models in IndexedDB, export and import as TF.js files, the shipped models. */
import * as store from '../modelStore';
import type { HandlersFor } from './types';

export const modelLibraryHandlers: HandlersFor<
  'listModels' | 'saveModel' | 'loadModel' | 'deleteModel' | 'exportModel' | 'importModel' | 'loadBundledModel'
> = {
  async listModels() {
    return store.listModels();
  },

  async saveModel(s, { name }) {
    const info = s.engine.info;
    const model = await s.layersModel();
    try {
      await store.saveModel(model, name, info.config, info.testAccuracy);
    } finally {
      model.dispose();
    }
    return store.listModels();
  },

  async loadModel(s, { modelId }) {
    await s.backend.settled();
    const { info, model } = await store.readSavedModel(modelId);
    try {
      return await s.engine.loadLayersModel(model, {
        source: 'saved',
        description: `${info.name} (saved ${info.savedAt.slice(0, 10)})`,
        config: info.config,
        testAccuracy: info.testAccuracy,
      });
    } finally {
      model.dispose();
    }
  },

  async deleteModel(_s, { modelId }) {
    await store.deleteModel(modelId);
    return store.listModels();
  },

  async exportModel(s) {
    const info = s.engine.info;
    const model = await s.layersModel();
    try {
      return await store.exportModel(model, { description: info.description, config: info.config, testAccuracy: info.testAccuracy });
    } finally {
      model.dispose();
    }
  },

  async importModel(s, { files }) {
    await s.backend.settled();
    const { model, summary } = await store.parseModelFiles(files);
    try {
      return await s.engine.loadLayersModel(model, {
        source: 'imported',
        description: `imported model ${summary}`,
        config: null,
        testAccuracy: null,
      });
    } finally {
      model.dispose();
    }
  },

  async loadBundledModel(s, { robust }) {
    return s.loadBundled(robust ?? false);
  },
};
