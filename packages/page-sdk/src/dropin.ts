import { nextTask } from './tasks.ts';

/**
 * The drop-in script: `<script src="…/tandem-pages.js" data-token-endpoint="/tandem/token" defer>`.
 * It starts once the document is parsed and puts `TandemPages` on `window` (the session, to stop it).
 *
 * Its own task evaluates only this: a deferred script runs in the task that ends the host page's
 * parsing, often with the page's first style and layout. The SDK's modules are evaluated after:
 * the session's (Yjs and lib0, the bulk of them) in a task of its own, the rest and `start` in the
 * next, so `TandemPages` appears two tasks after the script (the bundle's dynamic imports are its
 * modules' lazy initialisers, no request).
 */
const script = document.currentScript;
const endpoint = script?.getAttribute('data-token-endpoint');

async function run(): Promise<void> {
  if (endpoint === null || endpoint === undefined) return;
  await nextTask();
  await import('./session.ts');
  await nextTask();
  const { start } = await import('./index.ts');
  Object.assign(window, { TandemPages: start({ tokenEndpoint: endpoint }) });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void run(), { once: true });
else void run();
