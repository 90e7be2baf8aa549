import type { Settings } from '@tandem/shared';
import {
  VideoPresets,
  type AudioCaptureOptions,
  type E2EEOptions,
  type RoomOptions,
  type VideoCaptureOptions,
} from 'livekit-client';

export type VideoQuality = 'hd' | 'uhd';

/** Capture resolution by setting: 1080p by default, 2160p only when the user opted in. */
export function captureResolution(quality: VideoQuality): VideoCaptureOptions['resolution'] {
  switch (quality) {
    case 'hd':
      return VideoPresets.h1080.resolution;
    case 'uhd':
      return VideoPresets.h2160.resolution;
    default: {
      const unreachable: never = quality;
      throw new Error(`unknown video quality ${String(unreachable)}`);
    }
  }
}

export type DevicePreferences = {
  readonly quality: VideoQuality;
  readonly videoDeviceId?: string;
  readonly audioDeviceId?: string;
};

/** The devices and quality the settings choose (no device: the system's default). */
export function devicePreferences(
  settings: Pick<Settings, 'video2160p' | 'cameraId' | 'microphoneId'>,
): DevicePreferences {
  return {
    quality: settings.video2160p ? 'uhd' : 'hd',
    ...(settings.cameraId === null ? {} : { videoDeviceId: settings.cameraId }),
    ...(settings.microphoneId === null ? {} : { audioDeviceId: settings.microphoneId }),
  };
}

/** How the camera is captured, in the call and in the preview the call takes over. */
export function cameraCapture(prefs: DevicePreferences): VideoCaptureOptions {
  return {
    resolution: captureResolution(prefs.quality),
    ...(prefs.videoDeviceId === undefined ? {} : { deviceId: prefs.videoDeviceId }),
  };
}

/** How the microphone is captured, in the call and in the preview the call takes over. */
export function microphoneCapture(prefs: DevicePreferences): AudioCaptureOptions {
  return {
    echoCancellation: true,
    // RNNoise (media/noiseSuppression.ts) instead of the browser's own, so that turning it off
    // in the call really turns it off (music).
    noiseSuppression: false,
    ...(prefs.audioDeviceId === undefined ? {} : { deviceId: prefs.audioDeviceId }),
  };
}

/**
 * Room options for every call. Simulcast layers let the SFU forward a small layer to small tiles;
 * adaptiveStream pauses or downsizes what is not visible and dynacast stops encoding layers
 * nobody watches, so HD capture costs bandwidth only where it is seen. An end-to-end encrypted
 * meeting adds `encryption`: its key provider and LiveKit's frame-encryption worker (e2ee/).
 */
export function roomOptions(prefs: DevicePreferences, encryption?: E2EEOptions): RoomOptions {
  return {
    ...(encryption === undefined ? {} : { encryption }),
    adaptiveStream: true,
    dynacast: true,
    videoCaptureDefaults: cameraCapture(prefs),
    audioCaptureDefaults: microphoneCapture(prefs),
    publishDefaults: {
      simulcast: true,
      videoSimulcastLayers:
        prefs.quality === 'uhd' ? [VideoPresets.h360, VideoPresets.h1080] : [VideoPresets.h180, VideoPresets.h540],
      screenShareEncoding: { maxBitrate: 3_000_000, maxFramerate: 15 },
      dtx: true,
      red: true,
    },
  };
}
