import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { mediaAssets } from './scripts/mediaAssets.ts';
import { wat } from './scripts/wat.ts';
import { contentSecurityPolicy } from './src/main/security/csp.ts';

/**
 * Writes main's Content-Security-Policy into the built page as well. Main sends it as a header
 * for the app:// pages; the meta copy makes the same policy hold wherever the bundle is loaded
 * (the end-to-end harness serves it from a plain static server), so a build that needs inline
 * script or eval fails there too. Not in dev: the dev server's hot reload injects inline script.
 */
function cspMeta(): Plugin {
  // frame-ancestors is ignored (with a console error) when delivered by <meta>; the header has it.
  const policy = contentSecurityPolicy({ connect: 'bundle' })
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
  return {
    name: 'tandem-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' },
    ],
  };
}

// The renderer is loaded from app:// inside Electron and from http://localhost in end-to-end
// tests, so asset URLs are relative. The build emits no inline scripts and no eval, which the
// strict Content-Security-Policy of the shell requires.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), cspMeta(), mediaAssets(), wat()],
  build: {
    outDir: 'out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome130',
    modulePreload: { polyfill: false },
    // .vite/manifest.json: the coordination server reads which files the call screen needs, and a
    // join link's page fetches them while the guest types a name (apps/server/src/http/web.ts, B7).
    manifest: true,
    // Loaded from disk inside the app, so one bundle costs nothing over the network.
    chunkSizeWarningLimit: 1500,
    // recorder.html: the composition page a recorder process opens (renderer/recorder/), never the app.
    rolldownOptions: {
      input: { main: `${import.meta.dirname}/index.html`, recorder: `${import.meta.dirname}/recorder.html` },
    },
  },
});
