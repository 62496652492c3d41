import { describe, expect, it } from 'vitest';
import { decide, supersededBy } from './commandPolicy';

describe('commandPolicy: fine-tuning and reading your digits', () => {
  it('reads your digits and inspects a drawing at once, even while a run is under way', () => {
    for (const type of ['evaluateMine', 'inspect'] as const) {
      expect(decide(type, { running: 'fineTune', queued: [] })).toEqual({ kind: 'now' });
      expect(decide(type, { running: 'train', queued: ['evaluate'] })).toEqual({ kind: 'now' });
    }
  });
  it('treats a fine-tune run like a training run: nothing else touching the model meanwhile', () => {
    for (const view of [
      { running: 'fineTune' as const, queued: [] },
      { running: 'evaluate' as const, queued: ['fineTune' as const] },
    ]) {
      expect(decide('train', view)).toMatchObject({ kind: 'refuse' });
      expect(decide('evaluate', view)).toMatchObject({ kind: 'refuse' });
      expect(decide('fineTune', view)).toEqual({ kind: 'refuse', message: 'Training is already running: stop it first, then fine-tune.' });
    }
    expect(decide('fineTune', { running: 'train', queued: [] })).toMatchObject({ kind: 'refuse' });
    expect(decide('fineTune', { running: 'evaluate', queued: [] })).toEqual({ kind: 'queue' });
    expect(decide('fineTune', { running: null, queued: [] })).toEqual({ kind: 'now' });
  });
  it('Stop and Reset cancel a fine-tune that has not started yet', () => {
    expect(supersededBy('stop').has('fineTune')).toBe(true);
    expect(supersededBy('reset').has('fineTune')).toBe(true);
    expect(supersededBy('evaluate').size).toBe(0);
  });
});
