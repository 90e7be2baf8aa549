import { describe, expect, it } from 'vitest';
import { onWindowClose } from './closeToTray.ts';

describe('closing the window', () => {
  it('hides it to the tray when that is set, and closes it when quitting or when it is not', () => {
    expect(onWindowClose({ quitting: false, closeToTray: true })).toBe('hide');
    expect(onWindowClose({ quitting: true, closeToTray: true })).toBe('close');
    expect(onWindowClose({ quitting: false, closeToTray: false })).toBe('close');
  });
});
