import type { Presence, SetPresenceRequest, TandemClient, Unsubscribe } from '@tandem/shared';
import { createContext, useContext } from 'react';
import { create } from 'zustand';

/** People's presence as main last heard it, by person. */
export const usePresenceStore = create<{ readonly byUser: ReadonlyMap<string, Presence> }>(() => ({
  byUser: new Map(),
}));

function merge(list: readonly Presence[]): void {
  usePresenceStore.setState(({ byUser }) => {
    const next = new Map(byUser);
    for (const p of list) next.set(p.userId, p);
    return { byUser: next };
  });
}

export type PresenceController = {
  /** Loads what main knows and follows its changes; answers how to stop. */
  start(): Unsubscribe;
  set(request: SetPresenceRequest): Promise<void>;
};

export function createPresenceController(
  client: Pick<TandemClient, 'presenceList' | 'presenceSet' | 'onPresenceChanged'>,
): PresenceController {
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
  };
}

/** Provided by the composition root (`main.tsx`); a test may provide its own. */
export const PresenceControllerContext = createContext<PresenceController | undefined>(undefined);

export function usePresenceController(): PresenceController {
  const controller = useContext(PresenceControllerContext);
  if (controller === undefined) throw new Error('PresenceControllerContext is not provided');
  return controller;
}

/** A person's presence; someone never heard of is offline. */
export function usePresence(userId: string | undefined): Presence | undefined {
  return usePresenceStore((s) => (userId === undefined ? undefined : s.byUser.get(userId)));
}
