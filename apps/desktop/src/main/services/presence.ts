import type { Presence, ServerMessage, SetPresenceRequest } from '@tandem/shared';
import type { Emit } from './events.ts';
import type { Session } from './session.ts';

export type PresenceTracker = {
  list(): Presence[];
  set(request: SetPresenceRequest): Promise<Presence>;
  /** At each connect: the whole list again (what changed while offline). */
  refresh(): Promise<void>;
  onServerMessage(message: ServerMessage): void;
  /** The signed-in person's own presence as last heard; null before it is known. */
  mine(): Presence | null;
  /** The user chose do not disturb and it has not ended (presenting over it too): notifications stay away. */
  doNotDisturb(): boolean;
  /** Sign-out: nothing of the last user's organisation stays. */
  clear(): void;
};

/**
 * The organisation's presence in main: fetched when the socket connects, kept current by the
 * server's `presence` messages, passed on to the renderer (`presence:changed`). Not cached on
 * disk: presence is only true while it is heard.
 */
export function createPresence(deps: {
  readonly session: Session;
  readonly emit: Emit;
  readonly now?: () => number;
}): PresenceTracker {
  const now = deps.now ?? Date.now;
  const people = new Map<string, Presence>();

  function changed(list: readonly Presence[]): void {
    for (const p of list) people.set(p.userId, p);
    deps.emit('presence:changed', { presence: [...list] });
  }

  function mine(): Presence | null {
    const self = deps.session.current()?.user.id;
    return (self === undefined ? undefined : people.get(self)) ?? null;
  }

  return {
    list: () => [...people.values()],

    async set(request) {
      const presence = await deps.session.call('setPresence', { body: request });
      changed([presence]);
      return presence;
    },

    async refresh() {
      const { presence } = await deps.session.call('listPresence');
      people.clear();
      changed(presence);
    },

    onServerMessage(message) {
      if (message.type === 'presence') changed([message.presence]);
    },

    mine,

    doNotDisturb() {
      const own = mine();
      return own?.chosen === 'dnd' && (own.chosenUntil === null || Date.parse(own.chosenUntil) > now());
    },

    clear: () => people.clear(),
  };
}
