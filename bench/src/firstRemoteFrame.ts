import type { BrowserContext } from 'playwright-core';

/** What the page calls, once, when the first remote camera frame is on screen. */
const BINDING = 'benchFirstRemoteFrame';

/**
 * When (in this process's `performance.now()`) the first page of `context` shows a frame of a
 * remote camera: a <video> of the call with a decoded frame. The page watches for it itself, a
 * plain check on every animation frame, and says so through a binding: Playwright's own polling
 * (`waitForFunction`) evaluates its script in the page on every frame, work on the very thread
 * the call starts on that a person's browser does not do. Call it before the page opens.
 */
export async function firstRemoteFrame(
  context: BrowserContext,
  timeoutMs = 30_000,
): Promise<{ readonly framed: Promise<number> }> {
  let seen = (): void => {};
  const framed = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no remote camera frame within ${timeoutMs} ms`)), timeoutMs);
    seen = () => {
      clearTimeout(timer);
      resolve(performance.now());
    };
  });
  await context.exposeBinding(BINDING, () => seen());
  await context.addInitScript(`(() => {
    const check = () => {
      const video = document.querySelector('video[data-local="false"][data-source="camera"]');
      if (video !== null && video.readyState >= 2 && video.videoWidth > 0) window.${BINDING}();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })();`);
  // Awaited by the caller once it has acted; a run that fails before that must not leave it unhandled.
  framed.catch(() => undefined);
  return { framed };
}
