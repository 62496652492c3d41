// A static file server for a built app, shared by the bench and the first-visit byte count (and its
// content-type table by the e2e's plain static server).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy.mjs';

/** Content types of the files a build holds. */
export const CONTENT_TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.bin': 'application/octet-stream',
};

/** The content type of `file` by its extension. */
export function contentType(file) {
  return CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
}

/**
 * Serves `root` on 127.0.0.1:`port` with the cross-origin isolation headers (COOP/COEP/CORP), as the
 * Vite preview server does, so WASM threads work, and the app's Content-Security-Policy.
 * @returns the listening server (close it when done).
 */
export function serveDist(root, port) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': contentType(file),
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
