/**
 * The sharer's side of the Electron annotation overlay: while we share a screen, main opens a
 * click-through window over it and we mirror the call's scene into it through the bridge.
 */
import { MAX_OVERLAY_ELEMENTS, annotations, type TandemClient } from '@tandem/shared';
import type { StoreApi } from 'zustand';
import type { AnnotationState } from './model.ts';

/** A freehand stroke changes on every pointer move; ~20 repaints a second look live and keep IPC light. */
export const OVERLAY_INTERVAL_MS = 50;

export type Throttle<T> = { push(value: T): void; stop(): void };

/**
 * Sends the first value at once, then at most one per interval: the latest pushed, since each
 * scene replaces the one before. Nothing is sent after `stop`.
 */
export function throttleLatest<T>(send: (value: T) => void, intervalMs: number): Throttle<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: { readonly value: T } | null = null;
  const tick = () => {
    if (pending === null) {
      timer = null;
      return;
    }
    send(pending.value);
    pending = null;
    timer = setTimeout(tick, intervalMs);
  };
  return {
    push(value) {
      pending = { value };
      if (timer === null) tick();
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}

export type OverlayClient = Pick<TandemClient, 'overlayOpen' | 'overlayScene' | 'overlayClose'>;

/** The topmost elements when a scene outgrows what the overlay channel accepts. */
function overlayElements(scene: annotations.Scene): annotations.AnnotationElement[] {
  return annotations.paintOrder(scene).slice(-MAX_OVERLAY_ELEMENTS);
}

/**
 * Opens the overlay over `sourceId` and mirrors the store's scene into it until the returned
 * function closes it. Where main has no overlay (`unavailable`, the browser harness) or the
 * source is a window (`not_found`), nothing more is sent: the in-call preview keeps showing the
 * drawings, so a missing overlay is not an error to show.
 */
export function mirrorToOverlay(
  client: OverlayClient,
  store: StoreApi<AnnotationState>,
  sourceId: string,
  intervalMs = OVERLAY_INTERVAL_MS,
): () => void {
  let open = false;
  let stopped = false;
  const throttle = throttleLatest<annotations.Scene>((scene) => {
    client.overlayScene({ elements: overlayElements(scene) }).catch(() => undefined);
  }, intervalMs);
  const unsubscribe = store.subscribe((state, previous) => {
    if (open && state.scene !== previous.scene) throttle.push(state.scene);
  });
  client.overlayOpen({ sourceId }).then(
    () => {
      if (stopped) return;
      open = true;
      throttle.push(store.getState().scene);
    },
    () => undefined,
  );
  return () => {
    stopped = true;
    unsubscribe();
    throttle.stop();
    client.overlayClose().catch(() => undefined);
  };
}
