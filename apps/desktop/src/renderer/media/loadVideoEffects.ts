import type { LocalVideoTrack } from 'livekit-client';
import { needsVideoProcessor, type VideoEffects } from './effects.ts';
import type { VideoEffectsProcessor } from './videoEffects.ts';

/**
 * The camera's processor code (MediaPipe's segmenter and LiveKit's track processors, about
 * 140 KB) loads with the first effect someone turns on, never with a call that has none: a call
 * screen that waited for it started later (B7).
 */
const load = () => import('./videoEffects.ts');

/** The processor a camera starts with for these effects, or none. */
export async function cameraProcessor(effects: VideoEffects): Promise<VideoEffectsProcessor | undefined> {
  return needsVideoProcessor(effects) ? new (await load()).VideoEffectsProcessor(effects) : undefined;
}

/** Puts these effects on a camera's track, or takes its processor off (`videoEffects.ts`). */
export async function applyVideoEffects(track: LocalVideoTrack, effects: VideoEffects): Promise<void> {
  if (!needsVideoProcessor(effects) && track.getProcessor() === undefined) return;
  await (await load()).applyVideoEffects(track, effects);
}
