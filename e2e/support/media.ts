import type { Page } from 'playwright-core';

/** Whose video: one participant by LiveKit identity, or every remote participant. */
export type VideoOf = { readonly identity: string } | 'remote';

/**
 * Counts frames decoded by the <video> elements the app renders for a participant and source
 * (tiles carry data-identity, data-source and data-local). Counting uses requestVideoFrameCallback,
 * so only frames actually decoded and presented count; a frozen or black-holed track stays at 0.
 */
export function framesDecoded(page: Page, of: VideoOf, source: 'camera' | 'screen_share'): Promise<number> {
  const who = of === 'remote' ? '[data-local="false"]' : `[data-identity="${of.identity}"]`;
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
