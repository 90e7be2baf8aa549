import type { OverlayBounds, annotations } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import type { OverlayScene, OverlaySurface } from '../platform/types.ts';
import { ServiceError } from './errors.ts';
import { createOverlay } from './overlay.ts';

type FakeWindow = {
  readonly bounds: OverlayBounds;
  readonly received: OverlayScene[];
  closed: boolean;
  /** What the OS does: the page finished loading, or the user closed the window. */
  readonly ready: () => void;
  readonly closedByOs: () => void;
};

const PRIMARY: OverlayBounds = { x: 0, y: 0, width: 1920, height: 1080 };
const SECOND: OverlayBounds = { x: 1920, y: 0, width: 2560, height: 1440 };

/** A fake of Electron's overlay windows (the Electron binary is not available here): records each window. */
function fakeSurface(): OverlaySurface & { readonly windows: FakeWindow[] } {
  const windows: FakeWindow[] = [];
  const displays = new Map([
    ['screen:1:0', PRIMARY],
    ['screen:2:0', SECOND],
  ]);
  return {
    windows,
    displayBoundsOf: async (sourceId) => displays.get(sourceId) ?? null,
    open(bounds, events) {
      const window: FakeWindow = {
        bounds,
        received: [],
        closed: false,
        ready: events.ready,
        closedByOs: () => {
          window.closed = true;
          events.closed();
        },
      };
      windows.push(window);
      return {
        send: (scene) => void window.received.push(scene),
        close: () => window.closedByOs(),
      };
    },
  };
}

function pen(id: string): annotations.AnnotationElement {
  return {
    id,
    authorId: 'viewer',
    version: 1,
    versionNonce: 7,
    index: 0,
    isDeleted: false,
    color: '#ff0000',
    strokeWidth: 0.004,
    kind: 'pen',
    points: [[0.1, 0.1]],
  };
}
const scene = (...ids: string[]): OverlayScene => ({ elements: ids.map(pen) });

describe('overlay service (with a fake of Electron’s windows)', () => {
  it('opens one window at the bounds of the shared display and relays scenes to it only', async () => {
    const surface = fakeSurface();
    const overlay = createOverlay(surface);
    overlay.scene(scene('before'));
    await overlay.open({ sourceId: 'screen:2:0' });
    expect(surface.windows.map((w) => w.bounds)).toEqual([SECOND]);
    overlay.scene(scene('a'));
    overlay.scene(scene('a', 'b'));
    expect(surface.windows[0]?.received).toEqual([scene('a'), scene('a', 'b')]);
  });

  it('paints the latest scene once the page is ready, so a loading window does not stay blank', async () => {
    const surface = fakeSurface();
    const overlay = createOverlay(surface);
    await overlay.open({ bounds: PRIMARY });
    overlay.scene(scene('a'));
    surface.windows[0]?.ready();
    expect(surface.windows[0]?.received).toEqual([scene('a'), scene('a')]);
  });

  it('keeps at most one window: opening again replaces it, close closes it', async () => {
    const surface = fakeSurface();
    const overlay = createOverlay(surface);
    await overlay.open({ sourceId: 'screen:1:0' });
    await overlay.open({ sourceId: 'screen:2:0' });
    expect(surface.windows.map((w) => w.closed)).toEqual([true, false]);
    overlay.close();
    overlay.scene(scene('late'));
    expect(surface.windows.map((w) => w.closed)).toEqual([true, true]);
    expect(surface.windows[1]?.received).toEqual([]);
  });

  it('forgets a window the OS closed, and a stale window’s events change nothing', async () => {
    const surface = fakeSurface();
    const overlay = createOverlay(surface);
    await overlay.open({ bounds: PRIMARY });
    const [first] = surface.windows;
    first?.closedByOs();
    overlay.scene(scene('a'));
    expect(first?.received).toEqual([]);
    await overlay.open({ bounds: SECOND });
    first?.closedByOs();
    overlay.scene(scene('b'));
    expect(surface.windows[1]?.received).toEqual([scene('b')]);
  });

  it('answers not_found for a source on no display, and unavailable without overlay windows', async () => {
    const surface = fakeSurface();
    await expect(createOverlay(surface).open({ sourceId: 'window:42:0' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(surface.windows).toEqual([]);
    const none = createOverlay(null);
    await expect(none.open({ bounds: PRIMARY })).rejects.toBeInstanceOf(ServiceError);
    await expect(none.open({ bounds: PRIMARY })).rejects.toMatchObject({ code: 'unavailable' });
    none.scene(scene('a'));
    none.close();
  });
});
