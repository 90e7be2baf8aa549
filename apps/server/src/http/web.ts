import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JOIN_LANDING_ELEMENT_ID, joinDeepLink, type JoinLanding } from '@tandem/shared';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services/index.ts';
import { acceptedEncodings, createAssetStore } from './webAssets.ts';

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

// Every rule is scoped to the landing's own classes: the join link's page is also the browser
// client's page (its markup is the first paint, then the app takes over), whose styles it must not touch.
const LANDING_CSS = `
.landing-page { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f4f5f7; color-scheme: light dark; }
.landing { box-sizing: border-box; max-width: 30rem; margin: 1.5rem auto; padding: 2rem; background: #fff; color: #1d1f23; border-radius: 12px; box-shadow: 0 2px 12px rgb(0 0 0 / 10%); font-family: system-ui, sans-serif; }
.landing h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
.landing p { line-height: 1.5; }
.landing .actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.5rem; }
.landing .button { display: inline-block; padding: .7rem 1.1rem; border-radius: 8px; text-decoration: none; font: inherit; font-weight: 600; border: 2px solid #1a56db; cursor: pointer; }
.landing .primary { background: #1a56db; color: #fff; }
.landing .secondary { background: #fff; color: #1a56db; }
.landing .button:focus-visible, .landing input:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.landing .field input { width: 100%; box-sizing: border-box; margin-top: .25rem; padding: .55rem .6rem; font: inherit; border: 1px solid #6b7280; border-radius: 6px; }
.landing [role='alert'] { color: #b42318; font-weight: 600; }
.landing a { overflow-wrap: anywhere; }
.landing .note { color: #4b5563; font-size: .95rem; }
@media (prefers-color-scheme: dark) {
  .landing-page { background: #111317; }
  .landing { background: #1d2026; color: #e8eaed; }
  .landing .secondary { background: #1d2026; color: #9ab8ff; border-color: #9ab8ff; }
  .landing .primary { background: #9ab8ff; color: #111317; border-color: #9ab8ff; }
  .landing .field input { background: #111317; color: #e8eaed; border-color: #9aa1ad; }
  .landing [role='alert'] { color: #ff9592; }
  .landing .note { color: #b8bec8; }
}
`;

const LANDING_CSS_PATH = '/j/landing.css';

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tandem</title>
<link rel="stylesheet" href="${LANDING_CSS_PATH}">
</head>
<body class="landing-page"><main class="landing">${body}</main></body>
</html>
`;
}

/** JSON inside an HTML data block: nothing in it may close the element or start markup. */
const jsonInHtml = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** The call screen's module in the renderer's build manifest (Vite names entries by their source path). */
export const CALL_SCREEN_MODULE = 'src/renderer/call/CallView.tsx';

const ManifestSchema = z.record(
  z.string(),
  z.object({ file: z.string(), imports: z.array(z.string()).optional(), css: z.array(z.string()).optional() }),
);

/**
 * The styles the call screen needs that the page does not load at start (those of its chunk and
 * of the chunks it imports), from the build's `.vite/manifest.json`; empty for a manifest that
 * does not read. A join link's page prefetches them while the guest types a name: the knock
 * starts the call screen's import, which inserts them as stylesheets and waits for them before
 * its scripts run.
 */
export function callScreenStyles(manifest: unknown): string[] {
  const parsed = ManifestSchema.safeParse(manifest);
  if (!parsed.success) return [];
  const chunks = parsed.data;
  const atStart = new Set<string>();
  const startUp = (key: string): void => {
    const chunk = chunks[key];
    if (chunk === undefined || atStart.has(chunk.file)) return;
    atStart.add(chunk.file);
    for (const imported of chunk.imports ?? []) startUp(imported);
  };
  startUp('index.html');
  const styles: string[] = [];
  const seen = new Set<string>();
  const visit = (key: string): void => {
    const chunk = chunks[key];
    if (chunk === undefined || seen.has(key)) return;
    seen.add(key);
    if (!atStart.has(chunk.file)) styles.push(...(chunk.css ?? []));
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(CALL_SCREEN_MODULE);
  return [...new Set(styles)];
}

/**
 * Styles only. Its scripts are not hinted here: a `modulepreload` of them goes at the priority of
 * the page's own start and held up the name form by ~90 ms a load, and with any link to a script
 * already in the page, Vite's loader adds no `modulepreload` of its own at the import, so the call
 * screen's chunks then came in waves, each found by parsing the one before (~60 ms between the
 * admission and the call's connect in a B7 page trace). Imported at the knock without hints, all
 * of them are fetched at once.
 */
const callScreenLinks = (styles: readonly string[]): string =>
  styles
    .map((file) => `<link rel="prefetch" as="style" crossorigin href="${WEB_APP_PATH}${escapeHtml(file)}">`)
    .join('\n');

/**
 * The join link's page as the browser client itself (B7: one page load from the link to the name
 * form, not two): the build's index.html with its files addressed from `/app/`, the landing's
 * markup as the first paint inside the app's root (what a browser without script keeps), and
 * what the app needs to show the meeting as a data block. Undefined for a build it cannot place
 * the landing in.
 */
export function landingApp(
  build: { readonly indexHtml: string; readonly manifest: unknown },
  landing: JoinLanding,
  markup: string,
): string | undefined {
  const { indexHtml } = build;
  const root = '<div id="root"></div>';
  if (!indexHtml.includes(root) || !/<title>[^<]*<\/title>/.test(indexHtml)) return undefined;
  return indexHtml
    .replaceAll('="./', `="${WEB_APP_PATH}`)
    .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(landing.title)} · Tandem</title>`)
    .replace(
      '</head>',
      () =>
        `<link rel="stylesheet" href="${LANDING_CSS_PATH}">\n${callScreenLinks(callScreenStyles(build.manifest))}\n</head>`,
    )
    .replace(
      root,
      () =>
        `<div id="root"><main class="landing">${markup}</main></div>\n<script type="application/json" id="${JOIN_LANDING_ELEMENT_ID}">${jsonInHtml(landing)}</script>`,
    );
}

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
  const assets = createAssetStore();
  // The build's index.html and manifest, read again only when the page changes (a rebuild while the server runs).
  let build: { readonly mtimeMs: number; readonly indexHtml: string; readonly manifest: unknown } | undefined;
  async function appBuild(): Promise<{ readonly indexHtml: string; readonly manifest: unknown } | undefined> {
    const file = path.join(root, 'index.html');
    try {
      const { mtimeMs } = await fs.stat(file);
      if (build?.mtimeMs !== mtimeMs) {
        const manifest: unknown = await fs
          .readFile(path.join(root, '.vite', 'manifest.json'), 'utf8')
          .then((text) => JSON.parse(text) as unknown)
          .catch(() => null);
        build = { mtimeMs, indexHtml: await fs.readFile(file, 'utf8'), manifest };
      }
      return build;
    } catch {
      return undefined;
    }
  }
  const secure = (reply: FastifyReply): FastifyReply =>
    reply
      .header('content-security-policy', policy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cross-origin-opener-policy', 'same-origin');

  app.get(LANDING_CSS_PATH, async (_request, reply) =>
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
    const isRecorded = meeting.recording !== null && !over;
    const recorded = isRecorded ? '<p class="note" role="status">This meeting is being recorded.</p>' : '';
    const markup = `<h1>${escapeHtml(meeting.title)}</h1><p>You are invited to a Tandem meeting.</p>${recorded}${actions}`;
    const app = over ? undefined : await appBuild();
    const landing: JoinLanding = {
      code: meeting.joinCode,
      title: meeting.title,
      recorded: isRecorded,
      externalGuests,
    };
    return (app === undefined ? undefined : landingApp(app, landing, markup)) ?? page(meeting.title, markup);
  });

  app.get('/app', async (_request, reply) => reply.redirect(WEB_APP_PATH));
  app.get<{ Params: { '*': string } }>(`${WEB_APP_PATH}*`, async (request, reply) => {
    const relative = request.params['*'] === '' ? 'index.html' : request.params['*'];
    const file = path.resolve(root, relative);
    // Never outside the build, whatever the path says.
    if (!file.startsWith(root + path.sep)) return reply.code(404).send();
    // Vite names assets by their content hash: they never change. The page itself must be fresh.
    const immutable = relative.startsWith('assets/');
    const asset = await assets.get(file, immutable);
    if (asset === undefined) {
      if (relative !== 'index.html') return reply.code(404).send();
      return secure(reply)
        .code(503)
        .type('text/html; charset=utf-8')
        .send(page('Not available', '<h1>The browser client is not built on this server</h1>'));
    }
    const { body, encoding, etag } = asset.pick(acceptedEncodings(request.headers['accept-encoding']));
    secure(reply)
      .type(TYPES[path.extname(file)] ?? 'application/octet-stream')
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('vary', 'accept-encoding')
      .header('etag', etag);
    if (request.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) return reply.code(304).send();
    if (encoding !== undefined) reply.header('content-encoding', encoding);
    return reply.send(body);
  });
}
