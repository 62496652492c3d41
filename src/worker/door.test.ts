import { describe, expect, it } from 'vitest';
import type { WorkerMessage, WorkerRequest } from '../shared/protocol';
import { admit, openDoor } from './door';

describe("the worker's door", () => {
  it('lets a well-formed request in, untouched', () => {
    const req = { type: 'dream', id: 3, steps: 50 };
    expect(admit(req)).toEqual({ ok: true, req });
  });

  it('answers an unknown type, missing or out-of-range parameters with a clear refusal', () => {
    expect(admit({ type: 'frobnicate', id: 1 })).toEqual({
      ok: false,
      id: 1,
      error: {
        code: 'invalid',
        key: 'unknownRequest',
        message: 'The worker has no command "frobnicate".',
      },
    });
    expect(admit({ type: 'dream', id: 2, steps: 1e9 })).toEqual({
      ok: false,
      id: 2,
      error: {
        code: 'invalid',
        key: 'invalidRequest',
        message: 'The dream request cannot be read: steps must be a whole number from 1 to 1000 (got 1000000000).',
      },
    });
    expect(admit({ type: 'predict', id: 4, pixels: new Float32Array(3) })).toMatchObject({
      ok: false,
      id: 4,
      error: { code: 'invalid', message: expect.stringMatching(/pixels must hold 784 values \(got 3\)/) },
    });
    expect(admit({ type: 'loadModel', id: 5 })).toMatchObject({ ok: false, id: 5, error: { message: expect.stringMatching(/modelId/) } });
    // Names of Object.prototype are not commands.
    expect(admit({ type: 'toString', id: 6 })).toMatchObject({ ok: false, id: 6, error: { key: 'unknownRequest' } });
  });

  it('cannot answer what has no usable id: those become a fault event', () => {
    for (const msg of [null, undefined, 42, 'predict', [1, 2], { type: 'ping' }, { type: 'ping', id: -1 }, { type: 'ping', id: 1.5 }]) {
      expect(admit(msg), JSON.stringify(msg)).toMatchObject({ ok: false, id: null, error: { code: 'invalid' } });
    }
    const posted: WorkerMessage[] = [];
    const submitted: WorkerRequest[] = [];
    const receive = openDoor(
      (r) => submitted.push(r),
      (m) => posted.push(m),
    );
    receive(null);
    receive({ type: 'nope', id: 9 });
    receive({ type: 'ping', id: 10 });
    expect(posted).toEqual([
      {
        type: 'fault',
        code: 'invalid',
        key: 'invalidRequest',
        message: 'The worker got a message it cannot read: a request must be an object with a type and an id (got null).',
      },
      { type: 'reply', id: 9, ok: false, error: expect.objectContaining({ code: 'invalid', key: 'unknownRequest' }) },
    ]);
    expect(submitted).toEqual([{ type: 'ping', id: 10 }]);
  });
});
