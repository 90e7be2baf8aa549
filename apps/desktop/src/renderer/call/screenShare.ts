import type { ScreenSource } from '@tandem/shared';
import { LocalAudioTrack, LocalVideoTrack, Track, type LocalParticipant } from 'livekit-client';

/**
 * How a share starts. In Electron the user picks a screen or window from our own picker (main
 * lists them with thumbnails) and we capture that source; in a browser getDisplayMedia shows its own.
 */
export type ScreenCapture =
  { readonly kind: 'browser' } | { readonly kind: 'picker'; list(): Promise<readonly ScreenSource[]> };

/** Which desktop source each captured track shows; only our picker's captures are known. */
const capturedSources = new WeakMap<MediaStreamTrack, string>();

/** The desktop source id a screen-share track captures, or null (a browser getDisplayMedia share). */
export function capturedSourceId(track: MediaStreamTrack): string | null {
  return capturedSources.get(track) ?? null;
}

/**
 * Electron's desktop capture: the chosen source id goes to getUserMedia. Screens may carry system
 * audio where the OS allows (Windows loopback); a window never does, and a refused audio request
 * falls back to video only rather than failing the share.
 */
export async function shareSource(participant: LocalParticipant, source: ScreenSource): Promise<void> {
  const video = { mandatory: { chromeMediaSource: 'desktop', chromeMediaSourceId: source.id, maxFrameRate: 15 } };
  const audio = { mandatory: { chromeMediaSource: 'desktop' } };
  // Chromium's desktop capture constraints predate the standard ones, so they are not in the DOM types.
  const capture = (constraints: object) => navigator.mediaDevices.getUserMedia(constraints as MediaStreamConstraints);
  const stream =
    source.kind === 'screen'
      ? await capture({ video, audio }).catch(() => capture({ video, audio: false }))
      : await capture({ video, audio: false });
  const [videoTrack] = stream.getVideoTracks();
  if (videoTrack === undefined) throw new Error('the chosen source gave no video');
  capturedSources.set(videoTrack, source.id);
  await participant.publishTrack(new LocalVideoTrack(videoTrack, undefined, false), {
    source: Track.Source.ScreenShare,
    name: source.name,
  });
  const [audioTrack] = stream.getAudioTracks();
  if (audioTrack !== undefined) {
    await participant.publishTrack(new LocalAudioTrack(audioTrack, undefined, false), {
      source: Track.Source.ScreenShareAudio,
    });
  }
}
