// The built app's Content-Security-Policy, in one place: sent by the preview server
// (vite.config.ts), by scripts/serveDist.mjs and by the service worker (src/sw, given it at
// build time), and written as a <meta> into the built index.html for static hosts that send
// no headers. Not on the dev server: Vite's hot reload injects inline scripts.
//
// - script-src 'self' 'wasm-unsafe-eval': our own chunks, and WebAssembly compiled from our own
//   .wasm files (TF.js's WASM backend, any hand-written kernel). No 'unsafe-eval', no inline script.
// - blob: in worker-src and script-src: the threaded WASM build (used when the page is
//   cross-origin isolated) starts its pthread workers from Blob URLs of TF.js's bundled worker
//   code, and each of them importScripts() the Emscripten glue from another Blob URL. Measured
//   with e2e/csp.spec.ts: without blob: in worker-src the page hangs in "Loading data" (the WASM
//   backend never starts), without it in script-src the WASM start fails. Blob URLs can only be
//   made by the page's own scripts.
// - style-src 'self': our stylesheets; React sets styles through the CSSOM, which CSP allows.
// - img-src data: blob:: pictures drawn on canvases and exported as data/blob URLs.
const DIRECTIVES = [
  ['default-src', "'self'"],
  ['script-src', "'self'", "'wasm-unsafe-eval'", 'blob:'],
  ['worker-src', "'self'", 'blob:'],
  ['style-src', "'self'"],
  ['img-src', "'self'", 'data:', 'blob:'],
  ['connect-src', "'self'"],
  ['font-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'self'"],
];

/** The policy as a response header sends it (with frame-ancestors, which a <meta> cannot carry). */
export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, ['frame-ancestors', "'none'"]].map((d) => d.join(' ')).join('; ');

/** The policy for the <meta http-equiv> of index.html (browsers ignore frame-ancestors there, with a console error). */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.map((d) => d.join(' ')).join('; ');

/** @returns {import('vite').Plugin} writes the policy's <meta> as the first element of the built pages' <head>. */
export function contentSecurityPolicyMeta() {
  return {
    name: 'content-security-policy-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY_META },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}
