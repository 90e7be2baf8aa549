import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { joinDeepLink } from '@tandem/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../services/index.ts';

/** Where the browser client is served from: the renderer's build, relative to it. */
export const WEB_APP_PATH = '/app/';
const DEFAULT_WEB_APP_DIR = fileURLToPath(new URL('../../../desktop/out/renderer', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/**
 * The browser pages' policy: only our own code and styles; the network only to this server and
 * LiveKit (its signalling URL, and the http form livekit-client probes after a failed reconnect).
 */
export function webContentSecurityPolicy(livekitUrl: string): string {
  const livekit = new URL(livekitUrl);
  const livekitHttp = `${livekit.protocol === 'wss:' ? 'https:' : 'http:'}//${livekit.host}`;
  return [
    "default-src 'self'",
    // Our own bundled WebAssembly (noise suppression, segmentation) may compile; no eval.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    `connect-src 'self' ${livekit.origin} ${livekitHttp}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const LANDING_CSS = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f4f5f7; color: #1d1f23; }
main { max-width: 30rem; margin: 1.5rem; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 2px 12px rgb(0 0 0 / 10%); }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
p { line-height: 1.5; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.5rem; }
.button { display: inline-block; padding: .7rem 1.1rem; border-radius: 8px; text-decoration: none; font: inherit; font-weight: 600; border: 2px solid #1a56db; cursor: pointer; }
.primary { background: #1a56db; color: #fff; }
.secondary { background: #fff; color: #1a56db; }
.button:focus-visible, input:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.field input { width: 100%; box-sizing: border-box; margin-top: .25rem; padding: .55rem .6rem; font: inherit; border: 1px solid #6b7280; border-radius: 6px; }
[role='alert'] { color: #b42318; font-weight: 600; }
main a { overflow-wrap: anywhere; }
.note { color: #4b5563; font-size: .95rem; }
@media (prefers-color-scheme: dark) {
  body { background: #111317; color: #e8eaed; }
  main { background: #1d2026; }
  .secondary { background: #1d2026; color: #9ab8ff; border-color: #9ab8ff; }
  .primary { background: #9ab8ff; color: #111317; border-color: #9ab8ff; }
  .field input { background: #111317; color: #e8eaed; border-color: #9aa1ad; }
  [role='alert'] { color: #ff9592; }
  .note { color: #b8bec8; }
}
`;

export function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tandem</title>
<link rel="stylesheet" href="/j/landing.css">${head}
</head>
<body><main>${body}</main></body>
</html>
`;
}

/**
 * What the browser client's page loads first (its entry script, the modules it preloads, its
 * stylesheet), as the build named them in its index.html: the landing page prefetches these, so
 * "Join in this browser" opens from the cache (B7).
 */
export function firstLoadAssets(indexHtml: string): string[] {
  const found = new Set<string>();
  for (const m of indexHtml.matchAll(/(?:src|href)="\.\/(assets\/[\w.-]+\.(?:js|css))"/g)) {
    if (m[1] !== undefined) found.add(`${WEB_APP_PATH}${m[1]}`);
  }
  return [...found];
}

const prefetchLinks = (assets: readonly string[]): string =>
  assets
    .map(
      (href) =>
        `\n<link rel="prefetch" href="${escapeHtml(href)}" as="${href.endsWith('.css') ? 'style' : 'script'}" crossorigin>`,
    )
    .join('');

/**
 * The https join link's landing page (`/j/<code>`): open the meeting in the app, or join in this
 * browser (where external guests are turned off, only people of the organisation can, by signing
 * in). And the browser client itself: the renderer's build at /app/, under its own strict policy.
 */
export function registerWeb(
  app: FastifyInstance,
  s: Services,
  options: { readonly livekitUrl: string; readonly webAppDir?: string },
): void {
  const policy = webContentSecurityPolicy(options.livekitUrl);
  const root = path.resolve(options.webAppDir ?? DEFAULT_WEB_APP_DIR);
  // The build's index.html, read again only when it changes (a rebuild while the server runs).
  let index: { readonly mtimeMs: number; readonly assets: readonly string[] } | undefined;
  async function appAssets(): Promise<readonly string[]> {
    const file = path.join(root, 'index.html');
    try {
      const { mtimeMs } = await fs.stat(file);
      if (index?.mtimeMs !== mtimeMs) index = { mtimeMs, assets: firstLoadAssets(await fs.readFile(file, 'utf8')) };
      return index.assets;
    } catch {
      return [];
    }
  }
  const secure = (reply: FastifyReply): FastifyReply =>
    reply
      .header('content-security-policy', policy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cross-origin-opener-policy', 'same-origin');

  app.get('/j/landing.css', async (_request, reply) =>
    secure(reply).type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(LANDING_CSS),
  );

  app.get<{ Params: { code: string } }>('/j/:code', async (request, reply) => {
    secure(reply).type('text/html; charset=utf-8').header('cache-control', 'no-store');
    const code = request.params.code.toLowerCase();
    const found = /^[a-z0-9-]{4,16}$/.test(code) ? await s.guestLinks.landing(code) : undefined;
    if (found === undefined) {
      return reply
        .code(404)
        .send(
          page(
            'No such meeting',
            '<h1>This link does not lead to a meeting</h1><p>Check the link in your invitation, or ask the organiser for a new one.</p>',
          ),
        );
    }
    const { meeting, externalGuests } = found;
    const inBrowser = `${WEB_APP_PATH}#/join/${encodeURIComponent(meeting.joinCode)}`;
    const over = meeting.status === 'ended' || meeting.status === 'cancelled';
    const actions = over
      ? `<p>This meeting has ${meeting.status}.</p>`
      : `<div class="actions">
<a class="button primary" href="${escapeHtml(joinDeepLink(meeting.joinCode))}">Open in Tandem</a>
<a class="button secondary" href="${escapeHtml(inBrowser)}">Join in this browser</a>
</div>
${
  externalGuests
    ? '<p class="note">No account? Join in this browser with your name; a host lets you in.</p>'
    : '<p class="note" role="status">This organisation does not let people from outside join by link. Its own people can open the app, or sign in in this browser.</p>'
}`;
    // Consent before entering: someone following the link learns that the meeting is being recorded.
    const recorded =
      meeting.recording === null || over ? '' : '<p class="note" role="status">This meeting is being recorded.</p>';
    return page(
      meeting.title,
      `<h1>${escapeHtml(meeting.title)}</h1><p>You are invited to a Tandem meeting.</p>${recorded}${actions}`,
      over ? '' : prefetchLinks(await appAssets()),
    );
  });

  app.get('/app', async (_request, reply) => reply.redirect(WEB_APP_PATH));
  app.get<{ Params: { '*': string } }>(`${WEB_APP_PATH}*`, async (request, reply) => {
    const relative = request.params['*'] === '' ? 'index.html' : request.params['*'];
    const file = path.resolve(root, relative);
    // Never outside the build, whatever the path says.
    if (!file.startsWith(root + path.sep)) return reply.code(404).send();
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      if (relative !== 'index.html') return reply.code(404).send();
      return secure(reply)
        .code(503)
        .type('text/html; charset=utf-8')
        .send(page('Not available', '<h1>The browser client is not built on this server</h1>'));
    }
    // Vite names assets by their content hash: they never change. The page itself must be fresh.
    const immutable = relative.startsWith('assets/');
    return secure(reply)
      .type(TYPES[path.extname(file)] ?? 'application/octet-stream')
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(body);
  });
}
