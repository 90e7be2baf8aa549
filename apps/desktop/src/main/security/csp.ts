/**
 * The renderer's Content-Security-Policy. No inline script, no eval, no remote code: the UI is
 * only what we ship. The renderer reaches the network only for media (LiveKit signalling over
 * wss, and https for its region checks); everything else goes through main. `devOrigin` admits
 * the dev server and its hot-reload socket when one is used.
 */
export function contentSecurityPolicy(options: { readonly devOrigin?: string } = {}): string {
  const dev = options.devOrigin === undefined ? [] : [options.devOrigin, options.devOrigin.replace(/^http/, 'ws')];
  const directives: Readonly<Record<string, readonly string[]>> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...dev],
    'style-src': ["'self'", ...dev],
    'img-src': ["'self'", 'data:', 'blob:'],
    // Recordings play from the coordination server (a short-lived link, any https host; plain http
    // on loopback for a local server), like LiveKit below.
    'media-src': ["'self'", 'blob:', 'mediastream:', 'https:', 'http://127.0.0.1:*', 'http://localhost:*'],
    'font-src': ["'self'"],
    // LiveKit's URL comes from the server at join time, so any wss/https host. A LiveKit server on
    // loopback speaks plain ws, and livekit-client probes its http `/rtc/v1/validate` after a failed
    // reconnect, so loopback http is admitted with it.
    'connect-src': [
      "'self'",
      'wss:',
      'https:',
      'ws://127.0.0.1:*',
      'ws://localhost:*',
      'http://127.0.0.1:*',
      'http://localhost:*',
      ...dev,
    ],
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
