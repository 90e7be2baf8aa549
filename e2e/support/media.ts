import type { Page } from 'playwright-core';

/**
 * Counts frames decoded by the <video> elements the app renders for one participant and source
 * (the tiles carry data-identity and data-source). Counting uses requestVideoFrameCallback, so
 * only frames actually decoded and presented count; a frozen or black-holed track stays at 0.
 */
export function framesDecoded(page: Page, identity: string, source: 'camera' | 'screen_share'): Promise<number> {
  return page.evaluate(
    ([id, src]) => {
      type Counted = HTMLVideoElement & { tandemFrames?: number };
      const videos = document.querySelectorAll<Counted>(`video[data-identity="${id}"][data-source="${src}"]`);
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
    },
    [identity, source] as const,
  );
}
