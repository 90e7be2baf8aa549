import type { ChatEvent, ServerMessage } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import type { Emit } from './events.ts';
import type { Session } from './session.ts';

export type SyncEngine = {
  /** Pages `since=<seq>` until the conversation is current. One run per conversation at a time. */
  syncConversation(conversationId: string): Promise<void>;
  /**
   * Events the server answered or pushed, into the cache. A gap before them falls back to paging,
   * which rejects when the server cannot be reached.
   */
  applyEvents(conversationId: string, events: readonly ChatEvent[]): Promise<void>;
  /** Live events from the WebSocket; a gap falls back to paging. */
  applyLive(message: ServerMessage): Promise<void>;
  refreshConversations(): Promise<void>;
  refreshMeetings(): Promise<void>;
  refreshDecisions(): Promise<void>;
  refreshUsers(): Promise<void>;
};

export type SyncDeps = {
  readonly db: DbClient;
  readonly session: Session;
  readonly emit: Emit;
  /** Lobby decisions about our own joins are the meetings service's business. */
  readonly onLobby?: (message: Extract<ServerMessage, { type: 'lobby.entry' }>) => void;
};

/**
 * Brings the cache up to the server. Every chat event, whether paged over HTTP or pushed over
 * the WebSocket, goes through the cache's one `applyChatEvents`, which applies each seq once and
 * in order; so the two paths may overlap freely without a duplicate or a gap.
 */
export function createSyncEngine(deps: SyncDeps): SyncEngine {
  const { db, session, emit } = deps;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let refreshingMeetings: Promise<void> | null = null;

  async function apply(conversationId: string, events: readonly ChatEvent[]) {
    const result = await db.write('applyChatEvents', { conversationId, events });
    if (result.changed.length > 0) emit('chat:messages', { conversationId, messages: result.changed });
    return result;
  }

  async function page(conversationId: string): Promise<void> {
    for (;;) {
      const cursor = await db.read('conversation', conversationId);
      const since = cursor?.syncedSeq ?? 0;
      const history = await session.call('history', { params: { conversationId }, query: { since, limit: 500 } });
      const result = await apply(conversationId, history.events);
      if (!history.hasMore || result.syncedSeq === since) return;
    }
  }

  function syncConversation(conversationId: string): Promise<void> {
    const inFlight = running.get(conversationId);
    if (inFlight !== undefined) {
      // Events may have landed after the running page was read: go once more when it ends.
      again.add(conversationId);
      return inFlight;
    }
    const run = (async () => {
      try {
        do {
          again.delete(conversationId);
          await page(conversationId);
        } while (again.has(conversationId));
      } finally {
        running.delete(conversationId);
      }
    })();
    running.set(conversationId, run);
    return run;
  }

  async function applyEvents(conversationId: string, events: readonly ChatEvent[]): Promise<void> {
    const result = await apply(conversationId, events);
    if (result.gap) await syncConversation(conversationId);
  }

  return {
    syncConversation,
    applyEvents,

    async applyLive(message) {
      switch (message.type) {
        case 'chat.event':
          await applyEvents(message.event.conversationId, [message.event]);
          return;
        case 'decision.changed': {
          const decisions = await db.write('storeServerDecisions', { decisions: [message.decision] });
          emit('decisions:changed', { decisions });
          return;
        }
        case 'meeting.changed':
          await db.write('upsertMeeting', message.meeting);
          emit('meetings:changed', {});
          return;
        case 'lobby.entry':
          deps.onLobby?.(message);
          return;
        default:
          // The rest (presence, in-call features, pongs) is not the cache's: the WebSocket contract
          // grows with other features, and this engine ignores what it does not store.
          return;
      }
    },

    async refreshConversations() {
      const { conversations } = await session.call('listConversations');
      await db.write('upsertConversations', conversations);
    },

    refreshMeetings() {
      // One refresh at a time, and an event only when the list changed: the renderer reloads the
      // list on `meetings:changed`, and listing asks for a refresh.
      refreshingMeetings ??= (async () => {
        const [{ meetings }, personal] = await Promise.all([
          session.call('listMeetings'),
          session.call('personalMeeting'),
        ]);
        const all = [personal, ...meetings.filter((m) => m.id !== personal.id)];
        if (await db.write('replaceMeetings', all)) emit('meetings:changed', {});
      })().finally(() => {
        refreshingMeetings = null;
      });
      return refreshingMeetings;
    },

    async refreshDecisions() {
      const { decisions } = await session.call('listDecisions', { query: {} });
      const changed = await db.write('storeServerDecisions', { decisions });
      if (changed.length > 0) emit('decisions:changed', { decisions: changed });
    },

    async refreshUsers() {
      const { users } = await session.call('listUsers');
      await db.write(
        'upsertUsers',
        users.map((u) => ({ id: u.id, name: u.name })),
      );
    },
  };
}
