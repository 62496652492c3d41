/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { availableParallelism } from 'node:os';
import { precacheManifest } from './scripts/precacheManifest.mjs';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicyMeta } from './scripts/contentSecurityPolicy.mjs';

/** Cross-origin isolation: SharedArrayBuffer and multi-threaded WASM need both headers. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig(({ mode }) => {
  /** `vite build --mode bench` (or BENCH=1) adds the benchmark page that `npm run bench` drives; other builds leave it out. */
  const bench = mode === 'bench' || !!process.env.BENCH;
  return {
    // precacheManifest: writes the list of built files and their hashes into sw.js;
    // contentSecurityPolicyMeta: the policy as a <meta> in the built index.html.
    plugins: [react(), precacheManifest(), contentSecurityPolicyMeta()],
    base: './',
    // The dev server has no CSP: Vite's hot reload injects inline scripts.
    server: { headers: isolationHeaders },
    preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
    // The service worker adds the policy to what it serves (src/sw/serviceWorker.ts).
    define: { __CONTENT_SECURITY_POLICY__: JSON.stringify(CONTENT_SECURITY_POLICY) },
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      chunkSizeWarningLimit: 4000,
      // Fonts stay files: a font inlined as a data: URL is blocked by the policy's font-src 'self' (KaTeX's smallest is 3.6 KB).
      assetsInlineLimit: (file: string) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
      rollupOptions: {
        // sw: the service worker (src/sw), at a fixed URL beside index.html.
        input: { main: 'index.html', sw: 'src/sw/serviceWorker.ts', ...(bench ? { bench: 'bench.html' } : {}) },
        output: { entryFileNames: (chunk: { name: string }) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
      },
    },
    test: {
      include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      setupFiles: ['scripts/fastCheckSeed.ts'],
      // One file per core (Vitest's default leaves one core free: 130 s on 2 cores instead of 72 s). The one timed
      // check (preprocess.test.ts, median under 4 ms) measures 0.32 ms either way.
      maxWorkers: availableParallelism(),
    },
  };
});
