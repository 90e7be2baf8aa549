import { isLoopbackHost } from './serverUrl.ts';

/** Where the renderer may connect: the signed-in server and the LiveKit URL(s) it hands out. */
export type ConnectTargets = { readonly serverUrl: string | null; readonly livekitUrls: readonly string[] };

/**
 * The origins of `connect-src` for these targets. A LiveKit URL is admitted in its signalling
 * form (wss, or ws on loopback) and its http form, which livekit-client probes (`/rtc/v1/validate`)
 * after a failed reconnect. Plain ws/http only on loopback, like the server itself; anything
 * unparsable or of another scheme is left out.
 */
export function connectSources(targets: ConnectTargets): string[] {
  const sources = new Set<string>();
  const add = (raw: string, forms: 'origin' | 'livekit') => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return;
    }
    const secure = url.protocol === 'https:' || url.protocol === 'wss:';
    const plain = url.protocol === 'http:' || url.protocol === 'ws:';
    if (!secure && !(plain && isLoopbackHost(url.hostname))) return;
    if (forms === 'origin') {
      sources.add(`${url.protocol}//${url.host}`);
      return;
    }
    sources.add(`${secure ? 'wss' : 'ws'}://${url.host}`);
    sources.add(`${secure ? 'https' : 'http'}://${url.host}`);
  };
  if (targets.serverUrl !== null) add(targets.serverUrl, 'origin');
  for (const url of targets.livekitUrls) add(url, 'livekit');
  return [...sources];
}

/**
 * The renderer's Content-Security-Policy. No inline script, no eval, no remote code: the UI is
 * only what we ship. The renderer reaches the network only for media (LiveKit signalling and its
 * probe); everything else goes through main. So `connect-src` names the signed-in server and the
 * LiveKit URL(s) it hands out, nothing else; main sends a new policy (and reloads the window) when
 * they change. `'bundle'` is the copy built into the page itself, which cannot know the server:
 * it keeps the old any-https form, and the header (app) or the serving server (browser) narrows
 * it, since a page obeys every policy it is given. `devOrigin` admits the dev server and its
 * hot-reload socket when one is used.
 */
export function contentSecurityPolicy(options: {
  readonly devOrigin?: string;
  readonly connect: ConnectTargets | 'bundle';
}): string {
  const dev = options.devOrigin === undefined ? [] : [options.devOrigin, options.devOrigin.replace(/^http/, 'ws')];
  const connect =
    options.connect === 'bundle'
      ? ['wss:', 'https:', 'ws://127.0.0.1:*', 'ws://localhost:*', 'http://127.0.0.1:*', 'http://localhost:*']
      : connectSources(options.connect);
  const directives: Readonly<Record<string, readonly string[]>> = {
    'default-src': ["'self'"],
    // WebAssembly (noise suppression, person segmentation) compiles only our own bundled wasm;
    // 'wasm-unsafe-eval' admits that and nothing else (no eval, no Function).
    'script-src': ["'self'", "'wasm-unsafe-eval'", ...dev],
    'style-src': ["'self'", ...dev],
    'img-src': ["'self'", 'data:', 'blob:'],
    // Recordings play from the coordination server (a short-lived link, any https host; plain http
    // on loopback for a local server), like LiveKit below.
    'media-src': ["'self'", 'blob:', 'mediastream:', 'https:', 'http://127.0.0.1:*', 'http://localhost:*'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...connect, ...dev],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
