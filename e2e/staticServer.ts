import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { contentType } from '../scripts/serveDist.mjs';

/**
 * A plain static file server like `python3 -m http.server`: no COOP/COEP, no
 * caching headers. Counts requests per path; `rewrite` can change a file's
 * text as served (to publish a "new build" of sw.js).
 */
export class StaticServer {
  readonly hits = new Map<string, number>();
  rewrite: ((path: string, text: string) => string) | null = null;
  private server: Server | null = null;

  constructor(
    readonly root: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://localhost:${this.port}/`;
  }

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      let file = join(this.root, path);
      try {
        if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
        let body: Buffer | string = await readFile(file);
        if (this.rewrite && extname(file) === '.js') body = this.rewrite(path, body.toString('utf8'));
        res.writeHead(200, { 'Content-Type': contentType(file) });
        res.end(body);
      } catch {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
