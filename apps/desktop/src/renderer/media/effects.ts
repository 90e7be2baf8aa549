import type { Background, ManagedSettings, Settings } from '@tandem/shared';

/** What the camera's processor does: its background (with one's own picture), and whether it lifts dark frames. */
export type VideoEffects = {
  readonly background: Background;
  readonly ownBackground: string | null;
  readonly lowLight: boolean;
};

/** Blur radius (px at the segmenter's canvas) of each strength. */
export const BLUR_RADIUS = { light: 6, strong: 18 } as const satisfies Record<string, number>;

/** What the background stage is told: a blur, a picture (by URL), or nothing (frames pass through). */
export type BackgroundStage =
  | { readonly blurRadius: number; readonly imagePath: undefined; readonly backgroundDisabled: false }
  | { readonly blurRadius: undefined; readonly imagePath: string; readonly backgroundDisabled: false }
  | { readonly blurRadius: undefined; readonly imagePath: undefined; readonly backgroundDisabled: true };

/** The camera needs a processor at all: anything but no background and no lift. */
export function needsVideoProcessor(effects: VideoEffects): boolean {
  return !backgroundStage(effects, () => '').backgroundDisabled || effects.lowLight;
}

const NO_BACKGROUND: BackgroundStage = { blurRadius: undefined, imagePath: undefined, backgroundDisabled: true };

/**
 * The background stage's options; `pictureUrl` names a bundled picture's URL. One's own picture
 * chosen but not kept (cleared) is no background.
 */
export function backgroundStage(
  { background, ownBackground }: Pick<VideoEffects, 'background' | 'ownBackground'>,
  pictureUrl: (id: string) => string,
): BackgroundStage {
  switch (background.kind) {
    case 'none':
      return NO_BACKGROUND;
    case 'blur':
      return { blurRadius: BLUR_RADIUS[background.strength], imagePath: undefined, backgroundDisabled: false };
    case 'image':
      return { blurRadius: undefined, imagePath: pictureUrl(background.image), backgroundDisabled: false };
    case 'own':
      return ownBackground === null
        ? NO_BACKGROUND
        : { blurRadius: undefined, imagePath: ownBackground, backgroundDisabled: false };
    default: {
      const unreachable: never = background;
      throw new Error(`unknown background ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Noise suppression as it applies here: IT's policy, when it sets one, wins over the person's
 * own choice (main's settings already enforce it; the browser client has no policy).
 */
export function noiseSuppression(
  settings: Pick<Settings, 'noiseSuppression'>,
  managed: ManagedSettings,
): { readonly on: boolean; readonly locked: boolean } {
  const forced = managed.values.noiseSuppression;
  return forced === undefined ? { on: settings.noiseSuppression, locked: false } : { on: forced, locked: true };
}

/** Confidences from `from` (background) to `to` (person) fade between the two. */
const MASK_RAMP = { from: 0.5, to: 0.9 } as const;

/**
 * The segmenter's confidences (one per point) as a mask of bytes (0: background, 255: person): a
 * steep ramp, so the soft edge of the small mask, scaled up, does not leave a rim of the real
 * background around the person.
 */
export function maskAlpha(confidence: Float32Array, mask: Uint8Array): void {
  const scale = 255 / (MASK_RAMP.to - MASK_RAMP.from);
  for (let i = 0; i < confidence.length; i++)
    mask[i] = Math.min(255, Math.max(0, Math.round(((confidence[i] ?? 0) - MASK_RAMP.from) * scale)));
}

/** Mean luma (0..1) below which a frame counts as dark and is lifted. */
export const DARK_BELOW = 0.3;
/** The mean luma a dark frame is lifted towards, and the most gain it may get. */
const LIFT_TARGET = 0.42;
const MAX_GAIN = 3;
/** How far each measurement moves the gain: slow enough not to flicker. */
const SMOOTHING = 0.25;

/**
 * The next brightness gain for a frame of this mean luma: towards the gain that lifts a dark
 * frame to the target, back towards 1 once the picture is bright enough, never below 1.
 */
export function nextGain(meanLuma: number, gain: number): number {
  const wanted = meanLuma >= DARK_BELOW ? 1 : Math.min(MAX_GAIN, LIFT_TARGET / Math.max(meanLuma, 1 / 255));
  const next = gain + (wanted - gain) * SMOOTHING;
  return Math.abs(next - 1) < 0.01 ? 1 : Math.max(1, next);
}

/** Mean luma (Rec. 709) of RGBA pixels, 0..1. */
export function meanLuma(rgba: Uint8ClampedArray): number {
  let sum = 0;
  const pixels = rgba.length / 4;
  for (let i = 0; i < rgba.length; i += 4)
    sum += 0.2126 * (rgba[i] ?? 0) + 0.7152 * (rgba[i + 1] ?? 0) + 0.0722 * (rgba[i + 2] ?? 0);
  return pixels === 0 ? 0 : sum / pixels / 255;
}

/** The longest side of one's own picture as stored: enough for a 1080p call, small in the settings. */
export const OWN_PICTURE_MAX_SIDE = 1280;

/** The size to draw a picture of this size at so that it fits OWN_PICTURE_MAX_SIDE. */
export function fitPicture(width: number, height: number): { readonly width: number; readonly height: number } {
  const scale = Math.min(1, OWN_PICTURE_MAX_SIDE / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The part of a picture to draw so that it covers a frame of this size without stretching. */
export function coverRect(
  pictureWidth: number,
  pictureHeight: number,
  width: number,
  height: number,
): { readonly x: number; readonly y: number; readonly width: number; readonly height: number } {
  const scale = Math.max(width / pictureWidth, height / pictureHeight);
  const w = width / scale;
  const h = height / scale;
  return { x: (pictureWidth - w) / 2, y: (pictureHeight - h) / 2, width: w, height: h };
}
