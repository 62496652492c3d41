import { describe, expect, it } from 'vitest';
import { isChunkLoadError, lazyChunk } from './lazyChunk';

const instant = { sleep: async () => {}, online: async () => {} };
const netError = () => new TypeError('Failed to fetch dynamically imported module: http://x/assets/Curves-abc.js');

describe('lazily loaded chunks', () => {
  it('retries a chunk that failed to fetch and loads it once the network is back', async () => {
    let tries = 0;
    const chunk = lazyChunk(
      async () => {
        if (++tries < 3) throw netError();
        return 'curves';
      },
      'the curves',
      instant,
    );
    const seen: string[] = [];
    chunk.subscribe(() => seen.push(chunk.state().status));
    chunk.load();
    chunk.load(); // idempotent while loading
    await expect.poll(() => chunk.state().status).toBe('loaded');
    expect(tries).toBe(3);
    expect(chunk.state()).toMatchObject({ status: 'loaded', value: 'curves' });
    expect(seen).toEqual(['loaded']);
  });

  it('after every retry failed it says the network failed (not a crash), and Retry starts again', async () => {
    let fail = true;
    let tries = 0;
    const chunk = lazyChunk(
      async () => {
        tries++;
        if (fail) throw netError();
        return 42;
      },
      'the insight views',
      { ...instant, delays: [1, 1] },
    );
    chunk.load();
    await expect.poll(() => chunk.state().status).toBe('failed');
    expect(tries).toBe(3);
    expect(chunk.state()).toMatchObject({
      status: 'failed',
      message: 'Could not load the insight views: the network failed. Check the connection, then retry.',
    });
    fail = false;
    chunk.load();
    expect(chunk.state().status).toBe('loading');
    await expect.poll(() => chunk.state().status).toBe('loaded');
  });

  it('waits for the browser to be online between tries', async () => {
    let online = false;
    let tries = 0;
    let wake: () => void = () => {};
    const chunk = lazyChunk(
      async () => {
        tries++;
        if (!online) throw netError();
        return 'ok';
      },
      'x',
      { sleep: async () => {}, online: () => (online ? Promise.resolve() : new Promise((r) => (wake = r))), delays: [1] },
    );
    chunk.load();
    await expect.poll(() => tries).toBe(1);
    expect(chunk.state().status).toBe('loading'); // waiting for 'online', not failing
    online = true;
    wake();
    await expect.poll(() => chunk.state().status).toBe('loaded');
    expect(tries).toBe(2);
  });

  it('knows the chunk errors of Chrome, Firefox, Safari and Vite', () => {
    for (const m of [
      'Failed to fetch dynamically imported module: http://x/a.js',
      'error loading dynamically imported module: http://x/a.js',
      'Importing a module script failed.',
      'Unable to preload CSS for /assets/insight.css',
    ])
      expect(isChunkLoadError(new TypeError(m)), m).toBe(true);
    expect(isChunkLoadError(new Error('x is not a function'))).toBe(false);
  });
});
