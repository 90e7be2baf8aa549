import type { IpcParsedRequest } from '@tandem/shared';
import type { OverlayScene, OverlaySurface, OverlayWindowHandle } from '../platform/types.ts';
import { ServiceError } from './errors.ts';

export type OverlayService = {
  open(target: IpcParsedRequest<'overlay:open'>): Promise<void>;
  /** Relays the call window's scene to the overlay window, and nowhere else. */
  scene(scene: OverlayScene): void;
  close(): void;
};

const EMPTY: OverlayScene = { elements: [] };

/**
 * Owns at most one annotation overlay window. Opening again moves the drawing to the new screen
 * (a new window at the new display's bounds). The last scene is kept so a window whose page is
 * still loading paints it once ready, rather than staying blank until the next change.
 */
export function createOverlay(surface: OverlaySurface | null): OverlayService {
  let current: OverlayWindowHandle | null = null;
  let latest = EMPTY;

  function close(): void {
    const open = current;
    current = null;
    latest = EMPTY;
    open?.close();
  }

  return {
    async open(target) {
      if (surface === null) throw new ServiceError('unavailable', 'the annotation overlay needs the desktop app');
      const bounds = 'bounds' in target ? target.bounds : await surface.displayBoundsOf(target.sourceId);
      if (bounds === null) throw new ServiceError('not_found', 'no display shows this source');
      close();
      const handle = surface.open(bounds, {
        ready: () => {
          if (current === handle) handle.send(latest);
        },
        closed: () => {
          if (current === handle) current = null;
        },
      });
      current = handle;
    },
    scene(scene) {
      if (current === null) return;
      latest = scene;
      current.send(scene);
    },
    close,
  };
}
