import { mergePresence, watchSet, type Presence, type ServerMessage, type SetPresenceRequest } from '@tandem/shared';
import type { Emit } from './events.ts';
import type { Session } from './session.ts';

export type PresenceTracker = {
  list(): Presence[];
  set(request: SetPresenceRequest): Promise<Presence>;
  /** Whose presence the renderer shows now (the whole set): told to the server at once when connected. */
  watch(userIds: readonly string[]): void;
  /** At each connect: the watched set again, whose answer says what changed while offline. */
  connected(): void;
  onServerMessage(message: ServerMessage): void;
  /** The signed-in person's own presence as last heard; null before it is known. */
  mine(): Presence | null;
  /** The user chose do not disturb and it has not ended (presenting over it too): notifications stay away. */
  doNotDisturb(): boolean;
  /** Sign-out: nothing of the last user's organisation stays. */
  clear(): void;
};

/**
 * Presence in main, of the people the renderer shows and one's own: watched on the server
 * (`presence.watch`, again at each connect), kept current by its `presence` messages and answers,
 * passed on to the renderer (`presence:changed`). Not cached on disk: presence is only true while
 * it is heard.
 */
export function createPresence(deps: {
  readonly session: Pick<Session, 'call' | 'current'>;
  readonly emit: Emit;
  /** Sends whom to watch on the live socket (realtime.ts); nothing without one. */
  readonly watch: (userIds: readonly string[]) => void;
  readonly now?: () => number;
}): PresenceTracker {
  const now = deps.now ?? Date.now;
  const people = new Map<string, Presence>();
  let watched: readonly string[] = [];

  function changed(list: readonly Presence[]): void {
    const current = mergePresence(people, list);
    if (current.length > 0) deps.emit('presence:changed', { presence: current });
  }

  /** The renderer's set and one's own presence (the tray, do not disturb). */
  const sendWatch = (): void => deps.watch(watchSet(deps.session.current()?.user.id, watched));

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

    watch(userIds) {
      watched = userIds;
      sendWatch();
    },

    connected: sendWatch,

    onServerMessage(message) {
      if (message.type === 'presence') changed([message.presence]);
      if (message.type === 'presence.watched') changed(message.presence);
    },

    mine,

    doNotDisturb() {
      const own = mine();
      return own?.chosen === 'dnd' && (own.chosenUntil === null || Date.parse(own.chosenUntil) > now());
    },

    clear: () => people.clear(),
  };
}
