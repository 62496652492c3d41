import { describe, expect, it } from 'vitest';
import { REQUEST_TYPES } from '../shared/commands';
import type { RequestType } from '../shared/protocol';
import { bindPageMethods, commandProxy, PAGE_METHODS, type MethodContext } from './commandApi';
import { WorkerError, type TrainerClient } from './trainerClient';
import type { TrainerAction } from './trainerState';

/** A client stand-in: records each request and answers from `answers` (a function of the type), or rejects. */
function context(answer: (type: RequestType, params: unknown) => unknown) {
  const sent: { type: RequestType; params: unknown }[] = [];
  const actions: TrainerAction[] = [];
  const client = {
    request: (type: RequestType, params: unknown) => {
      sent.push({ type, params });
      try {
        return Promise.resolve(answer(type, params));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  } as unknown as TrainerClient;
  const ctx: MethodContext = { client: () => client, dispatch: (a) => actions.push(a) };
  return { ctx, sent, actions };
}

describe('the generated command methods', () => {
  it('offers every request of the protocol as a typed method', async () => {
    const { ctx, sent } = context(() => 'ok');
    const proxy = commandProxy(ctx);
    expect(Object.keys(proxy).sort()).toEqual([...REQUEST_TYPES].sort());
    await proxy.dream({ steps: 20 });
    expect(sent).toEqual([{ type: 'dream', params: { steps: 20 } }]);
  });

  it("turns the components' arguments into params and records what the page keeps of each reply", async () => {
    const model = { version: 2, source: 'saved', description: 'm', config: null, testAccuracy: null };
    const { ctx, sent, actions } = context((type) => (type === 'loadModel' ? model : type === 'saveModel' ? [] : null));
    const m = bindPageMethods(ctx);
    expect(Object.keys(m).sort()).toEqual(Object.keys(PAGE_METHODS).sort());
    await m.dream(5);
    await m.dream();
    await expect(m.loadModel('id-1')).resolves.toEqual(model);
    await expect(m.saveModel('mine')).resolves.toBeUndefined();
    await m.testImages(4, 9, 12);
    expect(sent).toEqual([
      { type: 'dream', params: { steps: 5 } },
      { type: 'dream', params: {} },
      { type: 'loadModel', params: { modelId: 'id-1' } },
      { type: 'saveModel', params: { name: 'mine' } },
      { type: 'testImages', params: { label: 4, predicted: 9, limit: 12 } },
    ]);
    expect(actions).toEqual([
      { type: 'model', model },
      { type: 'savedModels', models: [] },
    ]);
  });

  it('a run marks Train pending, then settles it; a fired command that fails becomes the page state, not a throw', async () => {
    const summary = { version: 3, outcome: 'completed' };
    const { ctx, actions } = context((type) => {
      if (type === 'train') return summary;
      throw new WorkerError('refused', 'Nothing is training.', undefined, 'nothingTraining');
    });
    const m = bindPageMethods(ctx);
    m.train({} as never);
    m.stop();
    expect(actions).toEqual([{ type: 'trainRequested' }]);
    await expect.poll(() => actions.length).toBe(3);
    expect(actions).toEqual(
      expect.arrayContaining([
        { type: 'trainSettled', summary },
        { type: 'failed', error: { code: 'refused', message: 'Nothing is training.', key: 'nothingTraining' } },
      ]),
    );
  });
});
