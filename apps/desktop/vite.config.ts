import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is loaded from file:// inside Electron and from http://localhost in end-to-end
// tests, so asset URLs are relative. The build emits no inline scripts and no eval, which the
// strict Content-Security-Policy of the shell requires.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: 'out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'chrome130',
    modulePreload: { polyfill: false },
    // Loaded from disk inside the app, so one bundle costs nothing over the network.
    chunkSizeWarningLimit: 1500,
  },
});
