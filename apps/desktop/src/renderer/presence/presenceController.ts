import {
  mergePresence,
  PRESENCE_WATCH_LIMIT,
  type Presence,
  type SetPresenceRequest,
  type TandemClient,
  type Unsubscribe,
} from '@tandem/shared';
import { createContext, useContext, useEffect } from 'react';
import { create } from 'zustand';

/** People's presence as last heard, by person. */
export const usePresenceStore = create<{ readonly byUser: ReadonlyMap<string, Presence> }>(() => ({
  byUser: new Map(),
}));

/** Keeps what is heard unless it is older than what is known (a watch's answer can come after a change). */
function merge(list: readonly Presence[]): void {
  usePresenceStore.setState(({ byUser }) => {
    const next = new Map(byUser);
    mergePresence(next, list);
    return { byUser: next };
  });
}

/** How long changes of who is shown gather before the set is sent: a list that renders is one message. */
export const WATCH_BATCH_MS = 50;

export type PresenceController = {
  /** Loads what is known and follows its changes; answers how to stop. */
  start(): Unsubscribe;
  set(request: SetPresenceRequest): Promise<void>;
  /**
   * Something on screen shows `userId`'s presence until the answer is called (a component mounts,
   * then unmounts). Counted per person; the set watched is sent once per batch when it changed.
   */
  watch(userId: string): () => void;
};

export function createPresenceController(
  client: Pick<TandemClient, 'presenceList' | 'presenceSet' | 'presenceWatch' | 'onPresenceChanged'>,
  onError: (error: unknown) => void = () => undefined,
): PresenceController {
  /** How many things on screen show each person, in the order they first appeared. */
  const shown = new Map<string, number>();
  let sent: ReadonlySet<string> = new Set();
  let batch: ReturnType<typeof setTimeout> | null = null;

  function flush(): void {
    batch = null;
    // Over the bound, those shown last (on screen now rather than long ago).
    const userIds = [...shown.keys()].slice(-PRESENCE_WATCH_LIMIT);
    if (userIds.length === sent.size && userIds.every((id) => sent.has(id))) return;
    sent = new Set(userIds);
    client.presenceWatch({ userIds }).catch(onError);
  }

  const changed = (): void => {
    batch ??= setTimeout(flush, WATCH_BATCH_MS);
  };

  return {
    start() {
      const stop = client.onPresenceChanged(({ presence }) => merge(presence));
      void client.presenceList().then(
        ({ presence }) => merge(presence),
        () => undefined,
      );
      return stop;
    },
    async set(request) {
      merge([await client.presenceSet(request)]);
    },
    watch(userId) {
      shown.set(userId, (shown.get(userId) ?? 0) + 1);
      if (shown.get(userId) === 1) changed();
      let watching = true;
      return () => {
        if (!watching) return;
        watching = false;
        const left = (shown.get(userId) ?? 1) - 1;
        if (left > 0) return void shown.set(userId, left);
        shown.delete(userId);
        changed();
      };
    },
  };
}

/** Provided by the composition root (`main.tsx`); a test may provide its own. */
export const PresenceControllerContext = createContext<PresenceController | undefined>(undefined);

export function usePresenceController(): PresenceController {
  const controller = useContext(PresenceControllerContext);
  if (controller === undefined) throw new Error('PresenceControllerContext is not provided');
  return controller;
}

/**
 * A person's presence; someone never heard of is offline. Watches them while the component is
 * mounted (where a controller is provided), so the server tells this client of them.
 */
export function usePresence(userId: string | undefined): Presence | undefined {
  const controller = useContext(PresenceControllerContext);
  useEffect(
    () => (userId === undefined || controller === undefined ? undefined : controller.watch(userId)),
    [controller, userId],
  );
  return usePresenceStore((s) => (userId === undefined ? undefined : s.byUser.get(userId)));
}
