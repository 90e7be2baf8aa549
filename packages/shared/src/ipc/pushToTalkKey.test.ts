import { describe, expect, it } from 'vitest';
import { pushToTalkKeyProblem, PushToTalkKeySchema } from './pushToTalkKey.ts';

describe('the push-to-talk key', () => {
  it('may be Space, a function key but F11, Insert, Pause or Scroll Lock', () => {
    for (const code of ['Space', 'F1', 'F8', 'F10', 'F12', 'F24', 'Insert', 'Pause', 'ScrollLock'])
      expect([code, pushToTalkKeyProblem(code)]).toEqual([code, null]);
  });

  it('refuses keys that type, and says so', () => {
    for (const code of ['KeyA', 'KeyZ', 'Digit0', 'Numpad5', 'NumpadEnter', 'Comma', 'Enter', 'Backspace', 'Delete'])
      expect([code, pushToTalkKeyProblem(code)]).toEqual([code, 'typing']);
  });

  it('refuses keys that move through the app, and the app’s own keys', () => {
    for (const code of ['Tab', 'ArrowDown', 'Home', 'PageUp'])
      expect([code, pushToTalkKeyProblem(code)]).toEqual([code, 'navigation']);
    expect(pushToTalkKeyProblem('Escape')).toBe('escape');
    expect(pushToTalkKeyProblem('F11')).toBe('fullScreen');
    for (const code of ['ShiftLeft', 'ControlRight', 'AltLeft', 'MetaLeft', 'CapsLock'])
      expect([code, pushToTalkKeyProblem(code)]).toEqual([code, 'modifier']);
    expect(pushToTalkKeyProblem('MediaPlayPause')).toBe('other');
    expect(pushToTalkKeyProblem('F25')).toBe('other');
  });

  it('is validated where settings cross a boundary', () => {
    expect(PushToTalkKeySchema.safeParse('F8').success).toBe(true);
    expect(PushToTalkKeySchema.safeParse('KeyA').success).toBe(false);
    expect(PushToTalkKeySchema.safeParse(8).success).toBe(false);
  });
});
