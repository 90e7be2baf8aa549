import {
  createLocalAudioTrack,
  createLocalVideoTrack,
  type LocalAudioTrack,
  type LocalVideoTrack,
} from 'livekit-client';
import type { TrackOpeners } from './previewMedia.ts';
import { cameraCapture, microphoneCapture } from './roomOptions.ts';

/**
 * The preview's camera and microphone, opened as the call would open them (the same capture
 * options), so that the call can publish them as they are. Loaded with livekit-client, on the
 * first preview shown.
 */
export const localTracks: TrackOpeners<LocalVideoTrack, LocalAudioTrack> = {
  camera: (prefs) => createLocalVideoTrack(cameraCapture(prefs)),
  microphone: (prefs) => createLocalAudioTrack(microphoneCapture(prefs)),
};
