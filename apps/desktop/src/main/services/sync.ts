import {
  CodedError,
  inOrderAdded,
  readChanges,
  DECISION_PAGE_LIMIT,
  USER_PAGE_LIMIT,
  UserSchema,
  type ChatEvent,
  type Conversation,
  type ServerMessage,
  type User,
} from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import type { CachedConversation } from '../db/queries.ts';
import { inBackground } from './errors.ts';
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
  /**
   * A conversation the server answered or announced (created, started, changed, joined): into the
   * cache and announced; what it already holds beyond the cache is paged in the background, the
   * change stream brings the rest.
   */
  addConversation(conversation: CachedConversation): Promise<void>;
  /** The conversation as the server now has it for the user (with `self`), into the cache; gone if it is not ours to read. */
  refreshConversation(conversationId: string): Promise<void>;
  /** The user may no longer read these (left, removed): out of the cache with their messages; the renderer is told. */
  dropConversations(
    conversationIds: readonly string[],
    reason: 'left' | 'removed',
    by: { id: string; name: string } | null,
  ): Promise<void>;
  /** Tells the server how far the user has read (in the background, online only): "Seen by", other devices. */
  reportRead(conversationId: string): void;
  /** Tells the renderer how these conversations stand now (`conversations:changed`). */
  announceConversations(conversationIds: readonly string[]): Promise<void>;
  /** The conversation on screen, or null: it is read now, and so is what arrives while it stays. */
  setViewing(conversationId: string | null): Promise<void>;
  refreshMeetings(): Promise<void>;
  refreshDecisions(): Promise<void>;
  refreshUsers(): Promise<void>;
  /**
   * The organisation's people in the order they were added, from the directory kept here after
   * reading who changed since (`refreshUsers`); offline, what was kept. Refused only when the
   * directory was never read.
   */
  people(): Promise<User[]>;
};

export type SyncDeps = {
  readonly db: DbClient;
  readonly session: Session;
  readonly emit: Emit;
  readonly onError?: (error: unknown) => void;
};

/**
 * How everyone stands in a conversation just created, as the server made it: its creator owns it
 * (a direct chat has no owner), the others are members of a private one; all read from the start.
 * The same as the creator's own answer says, so the announcement and the answer are one addition.
 */
export function atCreation(conversation: Conversation, selfId: string | null): CachedConversation {
  const role =
    conversation.kind !== 'direct' && conversation.createdBy === selfId
      ? 'owner'
      : conversation.private
        ? 'member'
        : null;
  return { ...conversation, self: { role, visibleFromSeq: 0, lastReadSeq: 0, left: false } };
}

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
  /** The people list being read: the pickers that open together (home has several) share it. */
  let readingPeople: Promise<User[]> | null = null;
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

  /** The read position last told to the server, per conversation, and reports in flight. */
  const reported = new Map<string, number>();
  const reporting = new Map<string, Promise<void>>();

  function reportRead(conversationId: string): void {
    if (session.current() === null || reporting.has(conversationId)) return;
    const run = (async () => {
      try {
        for (;;) {
          const seq = await db.read('readSeq', conversationId);
          if (seq <= (reported.get(conversationId) ?? 0)) return;
          await session.call('markRead', { params: { conversationId }, body: { seq } });
          reported.set(conversationId, seq);
        }
      } finally {
        reporting.delete(conversationId);
      }
    })();
    reporting.set(conversationId, run);
    inBackground(run, deps.onError);
  }

  async function apply(conversationId: string, events: readonly ChatEvent[], offset?: number) {
    await nameAuthors(events);
    const read = viewing === conversationId;
    const result = await db.write('applyChatEvents', {
      conversationId,
      events,
      read,
      ...(offset === undefined ? {} : { offset }),
    });
    if (result.changed.length > 0) {
      emit('chat:messages', { conversationId, messages: result.changed });
      await announceConversations([conversationId]);
      if (read) reportRead(conversationId);
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

  async function addConversation(conversation: CachedConversation): Promise<void> {
    const added = await db.write('upsertConversations', { conversations: [conversation], list: false });
    if (added.length > 0) await announceConversations(added);
    const cached = await db.read('conversation', conversation.id);
    if (cached !== null && cached.syncedSeq < conversation.latestSeq)
      inBackground(syncConversation(conversation.id), deps.onError);
  }

  async function dropConversations(
    conversationIds: readonly string[],
    reason: 'left' | 'removed',
    by: { id: string; name: string } | null,
  ): Promise<void> {
    if (conversationIds.length === 0) return;
    await db.write('dropConversations', { ids: conversationIds });
    for (const id of conversationIds) reported.delete(id);
    emit('conversations:removed', { conversationIds: [...conversationIds], reason, by });
  }

  async function refreshConversation(conversationId: string): Promise<void> {
    try {
      await addConversation(await session.call('getConversation', { params: { conversationId } }));
    } catch (error) {
      // No longer ours to read: it goes, as if we had been told.
      if (!(error instanceof CodedError) || error.code !== 'not_found') throw error;
      const cached = await db.read('conversation', conversationId);
      if (cached?.private === true) await dropConversations([conversationId], 'removed', null);
    }
  }

  async function receipt(message: Extract<ServerMessage, { type: 'conversation.read' }>): Promise<void> {
    const { conversationId, userId, seq } = message.receipt;
    const self = session.current()?.user.id ?? null;
    if (!(await db.write('setReceipt', { conversationId, userId, seq, self: userId === self }))) return;
    if (userId === self) {
      reported.set(conversationId, Math.max(seq, reported.get(conversationId) ?? 0));
      await announceConversations([conversationId]);
    }
    emit('chat:receiptsChanged', {
      conversationId,
      receipts: await db.read('receipts', { conversationId, selfId: self }),
    });
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

  /**
   * The people changed since the directory was last read (everyone, the first time), a page at a
   * time: a reconnect reads what changed, not the whole organisation again.
   */
  async function refreshUsers(): Promise<void> {
    await readChanges(
      (query) => session.call('listUsers', { query }),
      await db.read('directoryCursor', null),
      USER_PAGE_LIMIT,
      (page) =>
        db.write('storeDirectoryPage', {
          users: page.users.map((u) => ({ id: u.id, name: u.name, record: JSON.stringify(u) })),
          cursor: page.cursor,
        }),
    );
  }

  return {
    syncConversation,
    applyEvents,
    addConversation,
    refreshConversation,
    dropConversations,
    announceConversations,
    reportRead,

    async setViewing(conversationId) {
      viewing = conversationId;
      if (conversationId !== null && (await db.write('markRead', { conversationId }))) {
        await announceConversations([conversationId]);
        reportRead(conversationId);
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
        case 'conversation.created':
          await addConversation(atCreation(message.conversation, session.current()?.user.id ?? null));
          return;
        // How the user stands in it (role, what they may see, read position) comes with it from the server.
        case 'conversation.added':
        case 'conversation.changed':
          await refreshConversation(message.conversation.id);
          return;
        case 'conversation.removed': {
          const cached = await db.read('conversation', message.conversationId);
          if (cached === null) return;
          if (cached.private) {
            await dropConversations([message.conversationId], message.reason, message.by);
          } else if (await db.write('setLeft', { conversationId: message.conversationId, left: true })) {
            await announceConversations([message.conversationId]);
          }
          return;
        }
        case 'conversation.read':
          await receipt(message);
          return;
        default:
          // The rest (presence, in-call features, pongs) is not the cache's: the WebSocket contract
          // grows with other features, and this engine ignores what it does not store.
          return;
      }
    },

    /**
     * The whole list, archived and left ones included (the renderer lists them apart). A private
     * conversation missing from it is no longer the user's (removed while offline): it goes. Read
     * positions moved here while offline are told to the server (private conversations: their
     * members see them).
     */
    async refreshConversations() {
      const { conversations } = await session.call('listConversations', { query: { include: 'all' } });
      listed = new Map(conversations.map((c) => [c.id, c.latestSeq]));
      await announceConversations(await db.write('upsertConversations', { conversations, list: true }));
      await dropConversations(
        await db.write('dropPrivateExcept', { keep: conversations.map((c) => c.id) }),
        'removed',
        null,
      );
      for (const c of conversations) reported.set(c.id, Math.max(c.self.lastReadSeq ?? 0, reported.get(c.id) ?? 0));
      for (const { conversationId, readSeq } of await db.read('privateReadPositions', null)) {
        if (readSeq > (reported.get(conversationId) ?? 0)) reportRead(conversationId);
      }
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
      // What changed since the last read (all of them, a page at a time, the first time).
      await readChanges(
        (query) => session.call('listDecisions', { query }),
        await db.read('decisionsCursor', null),
        DECISION_PAGE_LIMIT,
        async ({ decisions, cursor }) => {
          const changed = await db.write('storeServerDecisions', { decisions, cursor });
          if (changed.length > 0) emit('decisions:changed', { decisions: changed });
        },
      );
    },

    refreshUsers,

    people() {
      readingPeople ??= (async () => {
        try {
          await refreshUsers();
        } catch (error) {
          if ((await db.read('directoryCursor', null)) === null) throw error;
        }
        const kept = (await db.read('directoryRecords', null)).flatMap((record) => {
          try {
            const parsed = UserSchema.safeParse(JSON.parse(record));
            return parsed.success ? [parsed.data] : [];
          } catch {
            return [];
          }
        });
        return kept.sort(inOrderAdded);
      })().finally(() => {
        readingPeople = null;
      });
      return readingPeople;
    },
  };
}
