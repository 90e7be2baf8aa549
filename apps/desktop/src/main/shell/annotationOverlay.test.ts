import { describe, expect, it } from 'vitest';
import { annotationOverlayOptions, showAnnotationOverlay, type OverlayWindow } from './annotationOverlay.ts';
import { secureWindowOptions } from './window.ts';

describe('annotation overlay window', () => {
  const bounds = { x: 1920, y: 0, width: 2560, height: 1440 };

  it('is transparent, frameless, always on top, unfocusable and exactly over the shared screen', () => {
    const options = annotationOverlayOptions('/app/preload.js', bounds);
    expect(options).toMatchObject({
      ...bounds,
      transparent: true,
      frame: false,
      alwaysOnTop: true,
      focusable: false,
      skipTaskbar: true,
      resizable: false,
      show: false,
    });
    expect(options.backgroundColor).toBe('#00000000');
    expect(options.minWidth).toBeUndefined();
  });

  it('keeps the security baseline of every window', () => {
    const options = annotationOverlayOptions('/app/preload.js', bounds);
    expect(options.webPreferences).toMatchObject(secureWindowOptions('/app/preload.js').webPreferences ?? {});
  });

  it('lets every click through to the apps underneath, forwarding moves, and shows without focus (Electron window faked)', () => {
    const calls: string[] = [];
    const window: OverlayWindow = {
      setIgnoreMouseEvents: (ignore, options) => void calls.push(`ignore ${ignore} forward ${options?.forward}`),
      setAlwaysOnTop: (flag, level) => void calls.push(`top ${flag} ${level}`),
      setVisibleOnAllWorkspaces: (visible, options) =>
        void calls.push(`workspaces ${visible} fullscreen ${options?.visibleOnFullScreen}`),
      setContentProtection: (enable) => void calls.push(`protect ${enable}`),
      showInactive: () => void calls.push('showInactive'),
    };
    showAnnotationOverlay(window);
    expect(calls).toEqual([
      'ignore true forward true',
      'top true screen-saver',
      'workspaces true fullscreen true',
      'protect true',
      'showInactive',
    ]);
  });
});
