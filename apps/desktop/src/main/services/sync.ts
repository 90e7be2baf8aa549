import type { ChatEvent, Conversation, ServerMessage } from '@tandem/shared';
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
  /** The server's list of conversations into the cache; what it adds or changes is announced. */
  refreshConversations(): Promise<void>;
  /** A conversation new to us (just created): into the cache and announced; the change stream brings its events. */
  addConversation(conversation: Conversation): Promise<void>;
  /** Tells the renderer how these conversations stand now (`conversations:changed`). */
  announceConversations(conversationIds: readonly string[]): Promise<void>;
  /** The conversation on screen, or null: it is read now, and so is what arrives while it stays. */
  setViewing(conversationId: string | null): Promise<void>;
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

/** Conversations paged at once when catching up after a reset: the server's rate limits are per person. */
const CATCH_UP_WIDTH = 4;

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
  let viewing: string | null = null;
  /** Each conversation's newest seq, as the server's last list said. */
  let listed = new Map<string, number>();

  async function announceConversations(conversationIds: readonly string[]): Promise<void> {
    if (conversationIds.length === 0) return;
    const selfId = session.current()?.user.id ?? null;
    const conversations = await db.read('conversationSummaries', { ids: conversationIds, selfId });
    if (conversations.length > 0) emit('conversations:changed', { conversations });
  }

  /** Authors asked for once per run, whether or not the server could name them. */
  const askedFor = new Set<string>();

  /**
   * Names authors the people list does not hold (an integration's API key writes as its own
   * account, which that list leaves out) before their messages are shown: once each, by id.
   */
  async function nameAuthors(events: readonly ChatEvent[]): Promise<void> {
    const authors = [...new Set(events.map((e) => e.authorId))].filter((id) => !askedFor.has(id));
    if (authors.length === 0) return;
    const unnamed = await db.read('unnamedUsers', authors);
    for (const id of unnamed) askedFor.add(id);
    const found = await Promise.all(
      unnamed.map((userId) => session.call('getUser', { params: { userId } }).catch(() => null)),
    );
    const named = found.filter((u) => u !== null).map((u) => ({ id: u.id, name: u.name }));
    if (named.length > 0) await db.write('upsertUsers', named);
  }

  async function apply(conversationId: string, events: readonly ChatEvent[], offset?: number) {
    await nameAuthors(events);
    const result = await db.write('applyChatEvents', {
      conversationId,
      events,
      read: viewing === conversationId,
      ...(offset === undefined ? {} : { offset }),
    });
    if (result.changed.length > 0) {
      emit('chat:messages', { conversationId, messages: result.changed });
      await announceConversations([conversationId]);
    }
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

  async function applyEvents(conversationId: string, events: readonly ChatEvent[], offset?: number): Promise<void> {
    const result = await apply(conversationId, events, offset);
    if (result.gap) await syncConversation(conversationId);
  }

  async function addConversation(conversation: Conversation): Promise<void> {
    const added = await db.write('upsertConversations', { conversations: [conversation], list: false });
    if (added.length === 0) return;
    await announceConversations(added);
  }

  /**
   * Pages every conversation the cache holds less of than the server's last list: after a reset
   * (nothing replayed), or where a page failed while offline. Normally none is behind.
   */
  async function catchUp(): Promise<void> {
    const behind = (await db.read('syncCursors', null))
      .filter((c) => c.since < (listed.get(c.conversationId) ?? 0))
      .map((c) => c.conversationId);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(CATCH_UP_WIDTH, behind.length) }, async () => {
        for (let id = behind[next++]; id !== undefined; id = behind[next++]) await syncConversation(id);
      }),
    );
  }

  return {
    syncConversation,
    applyEvents,
    addConversation,
    announceConversations,

    async setViewing(conversationId) {
      viewing = conversationId;
      if (conversationId !== null && (await db.write('markRead', { conversationId }))) {
        await announceConversations([conversationId]);
      }
    },

    async applyLive(message) {
      switch (message.type) {
        case 'chat.event':
          await applyEvents(message.event.conversationId, [message.event], message.offset);
          return;
        case 'resumed':
          await db.write('setChangeCursor', message.cursor);
          await catchUp();
          return;
        case 'decision.changed': {
          const decisions = await db.write('storeServerDecisions', { decisions: [message.decision] });
          emit('decisions:changed', { decisions });
          return;
        }
        case 'meeting.changed':
        case 'meeting.invited':
          await db.write('upsertMeeting', message.meeting);
          emit('meetings:changed', {});
          return;
        case 'lobby.entry':
          deps.onLobby?.(message);
          return;
        case 'conversation.created':
          await addConversation(message.conversation);
          return;
        default:
          // The rest (presence, in-call features, pongs) is not the cache's: the WebSocket contract
          // grows with other features, and this engine ignores what it does not store.
          return;
      }
    },

    async refreshConversations() {
      const { conversations } = await session.call('listConversations');
      listed = new Map(conversations.map((c) => [c.id, c.latestSeq]));
      await announceConversations(await db.write('upsertConversations', { conversations, list: true }));
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
