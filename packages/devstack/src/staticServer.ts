import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

export type StaticServer = { readonly origin: string; close(): Promise<void> };

/**
 * Serves files on http://localhost (a secure context, which getUserMedia needs).
 * `routes` maps a URL path prefix to a folder.
 */
export async function serveStatic(routes: Readonly<Record<string, string>>): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const prefix = Object.keys(routes)
      .filter((p) => pathname.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    const root = prefix === undefined ? undefined : routes[prefix];
    const file =
      root === undefined || prefix === undefined ? undefined : path.join(root, pathname.slice(prefix.length));
    if (
      file === undefined ||
      root === undefined ||
      !file.startsWith(root) ||
      !fs.existsSync(file) ||
      fs.statSync(file).isDirectory()
    ) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('static server has no port');
  return {
    origin: `http://localhost:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
