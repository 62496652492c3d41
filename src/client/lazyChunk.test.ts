import { describe, expect, it } from 'vitest';
import { failedUrl, isChunkLoadError, lazyChunk } from './lazyChunk';

const CHUNK = 'http://x/assets/Curves-abc.js';
const netError = (url = CHUNK) => new TypeError(`Failed to fetch dynamically imported module: ${url}`);
/** No waiting; a module imported under a fresh URL fails too (the tests below that care give their own). */
const instant = {
  sleep: async () => {},
  online: async () => {},
  importUrl: async (url: string) => {
    throw netError(url);
  },
};
const same = <T>(v: T) => v;

/**
 * A browser as Chromium 150 is: a module URL whose fetch failed fails again at once, without a
 * fetch, for the document's life; a URL fetched once is kept. `fetched` lists the URLs that went
 * to the network.
 */
function browser() {
  const map = new Map<string, 'failed' | { View: string }>();
  const fetched: string[] = [];
  const b = {
    online: false,
    fetched,
    importUrl: async (url: string): Promise<{ View: string }> => {
      const known = map.get(url);
      if (known === 'failed') throw netError(url);
      if (known) return known;
      fetched.push(url);
      const result = b.online ? { View: `the view from ${url}` } : 'failed';
      map.set(url, result);
      if (result === 'failed') throw netError(url);
      return result;
    },
  };
  return b;
}

describe('lazily loaded chunks', () => {
  it('retries a chunk that failed to fetch and loads it once the network is back', async () => {
    let tries = 0;
    const chunk = lazyChunk(
      async () => {
        if (++tries < 3) throw netError();
        return 'curves';
      },
      same,
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
      same,
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
      same,
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

  it('fetches a module that failed again under a fresh URL, since the browser remembers the failure of the first', async () => {
    const net = browser();
    const chunk = lazyChunk(
      () => net.importUrl(CHUNK),
      (m) => m.View,
      'the curves',
      { ...instant, delays: [1, 1], importUrl: net.importUrl },
    );
    chunk.load();
    await expect.poll(() => chunk.state().status).toBe('failed');
    // Each try went to the network under a URL of its own (a second import of CHUNK would never have).
    expect(net.fetched).toEqual([CHUNK, `${CHUNK}?retry=1`, `${CHUNK}?retry=2`]);
    net.online = true;
    chunk.load(); // Retry
    await expect.poll(() => chunk.state().status).toBe('loaded');
    expect(chunk.state()).toMatchObject({ value: `the view from ${CHUNK}?retry=3` });
    expect(net.fetched).toHaveLength(4);
  });

  it('loads a stylesheet that failed again itself (the preload helper never tries one twice) before the next try', async () => {
    const css = 'http://x/assets/InsightSection-abc.css';
    const tried = new Set<string>();
    let online = false;
    const reloaded: string[] = [];
    let applied = false;
    const chunk = lazyChunk(
      async () => {
        // Vite's preload helper: a stylesheet it tried once, loaded or not, is skipped.
        if (!tried.has(css)) {
          tried.add(css);
          if (!online) throw new Error(`Unable to preload CSS for ${css}`);
          applied = true;
        }
        return { InsightSection: 'insight' };
      },
      (m) => m.InsightSection,
      'the insight views',
      {
        ...instant,
        delays: [1],
        reloadStylesheet: async (href) => {
          reloaded.push(href);
          if (!online) throw new Error(`Unable to preload CSS for ${href}`);
          applied = true;
        },
      },
    );
    chunk.load();
    await expect.poll(() => chunk.state().status).toBe('failed');
    expect(chunk.state()).toMatchObject({ message: expect.stringContaining('the network failed') });
    expect(reloaded).toEqual([css]);
    online = true;
    chunk.load();
    await expect.poll(() => chunk.state().status).toBe('loaded');
    expect(reloaded).toEqual([css, css]);
    expect(applied).toBe(true);
  });

  it('names the module or stylesheet a chunk error is about', () => {
    expect(failedUrl(netError(`${CHUNK}?retry=4`))).toEqual({ module: CHUNK });
    expect(failedUrl(new TypeError(`error loading dynamically imported module: ${CHUNK}`))).toEqual({ module: CHUNK });
    expect(failedUrl(new Error('Unable to preload CSS for http://x/a.css'))).toEqual({ css: 'http://x/a.css' });
    expect(failedUrl(new TypeError('Importing a module script failed.'))).toEqual({});
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
