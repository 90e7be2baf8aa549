import type { Background, ManagedSettings } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import {
  BLUR_RADIUS,
  DARK_BELOW,
  backgroundStage,
  coverRect,
  fitPicture,
  maskAlpha,
  meanLuma,
  needsVideoProcessor,
  nextGain,
  noiseSuppression,
  OWN_PICTURE_MAX_SIDE,
} from './effects.ts';

const NO_POLICY: ManagedSettings = { values: {}, locked: [] };
const url = (id: string) => `./assets/${id}.svg`;

describe('which processor the camera gets', () => {
  it('needs none with no background and no lift, one otherwise', () => {
    const off = { background: { kind: 'none' }, ownBackground: null, lowLight: false } as const;
    expect(needsVideoProcessor(off)).toBe(false);
    expect(needsVideoProcessor({ ...off, lowLight: true })).toBe(true);
    expect(needsVideoProcessor({ ...off, background: { kind: 'blur', strength: 'light' } })).toBe(true);
    expect(needsVideoProcessor({ ...off, background: { kind: 'image', image: 'sea' } })).toBe(true);
    // One's own picture, but none kept: nothing to do.
    expect(needsVideoProcessor({ ...off, background: { kind: 'own' } })).toBe(false);
    expect(
      needsVideoProcessor({ ...off, background: { kind: 'own' }, ownBackground: 'data:image/png;base64,AA' }),
    ).toBe(true);
  });

  it('tells the background stage a blur, a picture by URL, or to pass frames through', () => {
    const stage = (background: Background, ownBackground: string | null = null) =>
      backgroundStage({ background, ownBackground }, url);
    expect(stage({ kind: 'blur', strength: 'light' })).toEqual({
      blurRadius: BLUR_RADIUS.light,
      imagePath: undefined,
      backgroundDisabled: false,
    });
    expect(stage({ kind: 'blur', strength: 'strong' }).blurRadius).toBeGreaterThan(BLUR_RADIUS.light);
    expect(stage({ kind: 'image', image: 'dusk' })).toEqual({
      blurRadius: undefined,
      imagePath: './assets/dusk.svg',
      backgroundDisabled: false,
    });
    const own = 'data:image/jpeg;base64,AAAA';
    expect(stage({ kind: 'own' }, own).imagePath).toBe(own);
    expect(stage({ kind: 'none' }, own)).toEqual({
      blurRadius: undefined,
      imagePath: undefined,
      backgroundDisabled: true,
    });
  });
});

describe('noise suppression under IT policy', () => {
  it('follows the person’s setting when IT sets nothing', () => {
    expect(noiseSuppression({ noiseSuppression: true }, NO_POLICY)).toEqual({ on: true, locked: false });
    expect(noiseSuppression({ noiseSuppression: false }, NO_POLICY)).toEqual({ on: false, locked: false });
  });

  it('is fixed on, or off, by the policy whatever the person chose', () => {
    const on: ManagedSettings = { values: { noiseSuppression: true }, locked: ['noiseSuppression'] };
    const off: ManagedSettings = { values: { noiseSuppression: false }, locked: ['noiseSuppression'] };
    expect(noiseSuppression({ noiseSuppression: false }, on)).toEqual({ on: true, locked: true });
    expect(noiseSuppression({ noiseSuppression: true }, off)).toEqual({ on: false, locked: true });
  });
});

describe('low light', () => {
  it('measures mean luma of RGBA pixels', () => {
    expect(meanLuma(new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255]))).toBeCloseTo(0.5);
    expect(meanLuma(new Uint8ClampedArray([0, 255, 0, 255]))).toBeCloseTo(0.7152);
    expect(meanLuma(new Uint8ClampedArray([]))).toBe(0);
  });

  it('raises the gain step by step on a dark picture, up to a limit, and never darkens', () => {
    let gain = 1;
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) seen.push((gain = nextGain(0.1, gain)));
    expect(seen[0]).toBeGreaterThan(1);
    expect(seen[0]).toBeLessThan(seen[5] ?? 0);
    expect(seen.at(-1)).toBeCloseTo(3, 1);
    expect(nextGain(0.005, 1)).toBeLessThanOrEqual(3);
  });

  it('leaves a bright enough picture alone and eases back to 1 when the light comes on', () => {
    expect(nextGain(DARK_BELOW, 1)).toBe(1);
    expect(nextGain(0.6, 1)).toBe(1);
    let gain = 2.5;
    for (let i = 0; i < 40; i++) gain = nextGain(0.6, gain);
    expect(gain).toBe(1);
  });
});

describe('one’s own picture', () => {
  it('is made to fit the largest side, never enlarged', () => {
    expect(fitPicture(4000, 3000)).toEqual({ width: OWN_PICTURE_MAX_SIDE, height: 960 });
    expect(fitPicture(1000, 3000)).toEqual({ width: 427, height: OWN_PICTURE_MAX_SIDE });
    expect(fitPicture(640, 360)).toEqual({ width: 640, height: 360 });
  });
});

describe('a background picture', () => {
  it('covers the frame from its middle, never stretched', () => {
    // 4:3 picture in a 16:9 frame: full width, a band from the middle.
    expect(coverRect(1600, 1200, 1280, 720)).toEqual({ x: 0, y: 150, width: 1600, height: 900 });
    // A wide picture in a portrait frame: full height, the middle cut out.
    expect(coverRect(1280, 720, 720, 1280)).toEqual({ x: 437.5, y: 0, width: 405, height: 720 });
    expect(coverRect(1280, 720, 1280, 720)).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
  });
});

describe('the person’s mask', () => {
  it('is background below the ramp, the person above it, steep in between', () => {
    const mask = new Uint8Array(5).fill(7);
    maskAlpha(new Float32Array([0, 0.5, 0.8, 0.9, 1]), mask);
    expect([...mask]).toEqual([0, 0, 191, 255, 255]);
  });
});
