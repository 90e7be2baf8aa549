import type { Page } from 'playwright-core';

/** Whose video: one participant by LiveKit identity, every remote participant, or one's own preview before a call. */
export type VideoOf = { readonly identity: string } | 'remote' | 'preview';

/**
 * Counts frames decoded by the <video> elements the app renders for a participant and source
 * (tiles carry data-identity, data-source and data-local). Counting uses requestVideoFrameCallback,
 * so only frames actually decoded and presented count; a frozen or black-holed track stays at 0.
 */
export function framesDecoded(page: Page, of: VideoOf, source: 'camera' | 'screen_share'): Promise<number> {
  const who =
    of === 'remote' ? '[data-local="false"]' : of === 'preview' ? '[data-preview]' : `[data-identity="${of.identity}"]`;
  return page.evaluate((selector) => {
    type Counted = HTMLVideoElement & { tandemFrames?: number };
    const videos = document.querySelectorAll<Counted>(selector);
    let total = 0;
    for (const video of videos) {
      if (video.tandemFrames === undefined) {
        video.tandemFrames = 0;
        const onFrame = () => {
          video.tandemFrames = (video.tandemFrames ?? 0) + 1;
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
      }
      total += video.tandemFrames;
    }
    return total;
  }, `video${who}[data-source="${source}"]`);
}

/**
 * Frames decoded across one second: above zero means the video is playing now. Measured on the
 * elements present at the end, so a tile re-created in between (a track restarted after a device
 * switch or a reconnect) reads as "not yet" and the caller's poll simply looks again.
 */
export async function framesInASecond(page: Page, of: VideoOf, source: 'camera' | 'screen_share'): Promise<number> {
  const start = await framesDecoded(page, of, source);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return (await framesDecoded(page, of, source)) - start;
}

/**
 * Waits until the app renders a participant's video element (attached: decoded or not). On a
 * timeout the error says what the call showed instead (its alerts and status lines, the tiles it
 * drew), so a failure in CI tells whether the call failed, was reconnecting or lacked the participant.
 */
export async function videoAttached(
  page: Page,
  identity: string,
  source: 'camera' | 'screen_share',
  timeout: number,
): Promise<void> {
  try {
    await page
      .locator(`video[data-identity="${identity}"][data-source="${source}"]`)
      .waitFor({ state: 'attached', timeout });
  } catch (error) {
    const shown = await page.evaluate(() => {
      const texts = (selector: string) =>
        [...document.querySelectorAll(selector)].map((e) => (e.textContent ?? '').trim()).filter((t) => t !== '');
      return {
        alerts: texts('[role="alert"], [role="status"]'),
        // Each tile's name and its video: shown, muted (published but muted) or none published.
        tiles: [...document.querySelectorAll('figure.tile')].map(
          (e) => `${e.getAttribute('aria-label') ?? ''}: ${e.getAttribute('data-video') ?? ''}`,
        ),
      };
    });
    throw new Error(`no ${source} video of ${identity}: the call showed ${JSON.stringify(shown)}`, { cause: error });
  }
}

/** What a page's `getUserMedia` gave it so far (`watchCapture`): each track's kind and whether it still runs. */
export type Captured = { readonly kind: string; readonly readyState: MediaStreamTrackState };

/**
 * Makes the page keep every track `getUserMedia` gives it, from its first script on, so a test can
 * tell how often a device was opened and whether each track was stopped. Call before it navigates.
 */
export async function watchCapture(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const opened: MediaStreamTrack[] = [];
    Object.assign(window, { tandemCaptured: opened });
    const devices = navigator.mediaDevices;
    const getUserMedia = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      opened.push(...stream.getTracks());
      return stream;
    };
  });
}

/** The tracks `getUserMedia` gave the page (see `watchCapture`), in order. */
export function captured(page: Page): Promise<Captured[]> {
  return page.evaluate(() =>
    ((window as unknown as { tandemCaptured?: MediaStreamTrack[] }).tandemCaptured ?? []).map((t) => ({
      kind: t.kind,
      readyState: t.readyState,
    })),
  );
}
