import { start } from './index.ts';

/**
 * The drop-in script: `<script src="…/tandem-pages.js" data-token-endpoint="/tandem/token" defer>`.
 * It starts once the document is parsed and puts `TandemPages` on `window` (the session, to stop it).
 */
const script = document.currentScript;
const endpoint = script?.getAttribute('data-token-endpoint');

function run(): void {
  if (endpoint === null || endpoint === undefined) return;
  Object.assign(window, { TandemPages: start({ tokenEndpoint: endpoint }) });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
else run();
