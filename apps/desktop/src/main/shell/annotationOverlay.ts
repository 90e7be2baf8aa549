import type { BrowserWindow, BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { secureWindowOptions } from './window.ts';

/**
 * The sharer's annotation overlay: a transparent window laid exactly over the shared screen,
 * above everything, that never takes the pointer, so the sharer keeps working in the apps
 * underneath while the drawings of others show on top. It is a second renderer page with the same
 * security baseline as the main window (same preload, sandbox, no Node).
 */
export function annotationOverlayOptions(preload: string, bounds: Rectangle): BrowserWindowConstructorOptions {
  const secure = secureWindowOptions(preload);
  return {
    ...secure,
    ...bounds,
    minWidth: undefined,
    minHeight: undefined,
    transparent: true,
    backgroundColor: '#00000000',
    frame: false,
    hasShadow: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    focusable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    show: false,
    webPreferences: { ...secure.webPreferences, backgroundThrottling: false },
  };
}

/** The part of BrowserWindow the overlay needs once it exists; a small object stands in for it in tests. */
export type OverlayWindow = Pick<
  BrowserWindow,
  'setIgnoreMouseEvents' | 'setAlwaysOnTop' | 'setVisibleOnAllWorkspaces' | 'setContentProtection' | 'showInactive'
>;

/**
 * Makes a created overlay click-through and keeps it above full-screen apps. `forward: true`
 * still delivers mouse moves to the page (for hover), never clicks. Content protection keeps the
 * overlay out of the capture itself, so the drawings are not sent back inside the shared video.
 */
export function showAnnotationOverlay(window: OverlayWindow): void {
  window.setIgnoreMouseEvents(true, { forward: true });
  window.setAlwaysOnTop(true, 'screen-saver');
  window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
  window.setContentProtection(true);
  window.showInactive();
}
