import {
  mergeTranscriptHits,
  transcriptFilter,
  serverSearchHit,
  type IpcParsedRequest,
  type IpcResponse,
  type ChatEvent,
  type ChatFileRef,
  type ChatMessageView,
  type ConversationEntry,
  type ConversationSummary,
  type CreateChannelRequest,
  type CreateGroupRequest,
  type MemberView,
  type MentionPerson,
  type MessageReaction,
  type ReadReceiptView,
  type ServerMessage,
  type UpdateConversationRequest,
  uuidv7,
} from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import { ServiceError, inBackground, isUnavailable } from './errors.ts';
import type { Emit } from './events.ts';
import type { Outbox } from './outbox.ts';
import type { Realtime } from './realtime.ts';
import type { Session } from './session.ts';
import type { SyncEngine } from './sync.ts';

export type ChatService = {
  /** Every conversation the cache knows, by name. */
  conversations(): Promise<ConversationSummary[]>;
  /** Opened and read; the renderer reports it on screen (`ui:attention`) while it stays. */
  open(conversationId: string): Promise<ConversationSummary>;
  /** A new channel (public, or private with its first members), created on the server and followed at once. */
  createChannel(request: CreateChannelRequest): Promise<ConversationSummary>;
  /** The direct chat with a person: started on the server once per pair (again: the same one). */
  startDirect(userId: string): Promise<ConversationSummary>;
  createGroup(request: CreateGroupRequest): Promise<ConversationSummary>;
  /** Rename, archive or unarchive, on the server. */
  update(conversationId: string, patch: UpdateConversationRequest): Promise<ConversationSummary>;
  /** A private conversation's members as the server has them, named from the cache; their read positions are kept. */
  members(conversationId: string): Promise<MemberView[]>;
  addMembers(args: {
    conversationId: string;
    userIds: readonly string[];
    history: boolean;
  }): Promise<ConversationSummary>;
  removeMember(conversationId: string, userId: string): Promise<void>;
  /** Leaves a group or channel: a private one leaves the cache, a public one is marked left. */
  leave(conversationId: string): Promise<void>;
  /** Follows a public channel again. */
  join(conversationId: string): Promise<ConversationSummary>;
  /** Everything cached is read; the server hears of it when it can. */
  markRead(conversationId: string): Promise<ConversationSummary>;
  /** The other members' read positions as last heard; refreshed from the server behind the answer. */
  receipts(conversationId: string): Promise<ReadReceiptView[]>;
  list(args: { conversationId: string; beforeSeq?: number | undefined; limit: number }): Promise<ChatMessageView[]>;
  /** `threadOf`: a reply in the thread of that top-level message. */
  send(args: {
    conversationId: string;
    body: string;
    threadOf?: string | undefined;
    /** Files uploaded for it (`files:upload`), attached when the outbox sends it. */
    files?: readonly ChatFileRef[] | undefined;
    /** Reaches the others through do not disturb (direct and group chats). */
    urgent?: boolean | undefined;
  }): Promise<ChatMessageView>;
  /** A thread from the cache: its root, then its replies (the cache syncs them with the conversation). */
  thread(args: { conversationId: string; rootId: string }): Promise<ChatMessageView[]>;
  /** Gives (`add`) or takes back one's reaction; online only, like an edit. */
  react(args: {
    conversationId: string;
    messageId: string;
    emoji: MessageReaction;
    add: boolean;
  }): Promise<ChatMessageView>;
  edit(args: { conversationId: string; messageId: string; body: string }): Promise<ChatMessageView>;
  delete(args: { conversationId: string; messageId: string }): Promise<ChatMessageView>;
  /** A message the server refused for good goes back into the outbox. */
  retry(clientId: string): Promise<ChatMessageView>;
  /** A message the server refused for good is forgotten. */
  discard(clientId: string): Promise<void>;
  /**
   * The cache's matching messages, merged with what the server finds (messages the cache lacks,
   * files, channels, people) newest first; offline, what this device holds (`scope: 'device'`).
   */
  search(args: IpcParsedRequest<'search:everything'>): Promise<IpcResponse<'search:everything'>>;
  /** The people the cache knows, for mentions. */
  people(): Promise<MentionPerson[]>;
  /** The user is writing (or stopped) in a conversation: told to the others live, or dropped. */
  typing(conversationId: string, typing: boolean): void;
  /** Every server message as it arrives: others' typing goes on to the renderer. */
  onServerMessage(message: ServerMessage): void;
};

export type ChatDeps = {
  readonly db: DbClient;
  readonly session: Session;
  readonly sync: SyncEngine;
  readonly outbox: Outbox;
  readonly realtime: Realtime;
  readonly emit: Emit;
  readonly onError?: (error: unknown) => void;
};

/** Reads answer from the cache at once; the network only ever updates the cache behind them. */
export function createChat(deps: ChatDeps): ChatService {
  const { db } = deps;
  const background = (work: Promise<unknown>) => inBackground(work, deps.onError);

  /**
   * The server's answer to an edit or delete goes through the same fold as every other event,
   * so the live copy of it that follows on the WebSocket is recognised and skipped. The server
   * has the change even if paging a gap in front of it fails: that sync finishes later.
   */
  async function applied(event: ChatEvent): Promise<ChatMessageView> {
    await deps.sync.applyEvents(event.conversationId, [event]).catch((error: unknown) => {
      if (!isUnavailable(error)) throw error;
    });
    const message = await db.read('message', event.messageId);
    if (message === null) throw new ServiceError('not_found', 'the message is not in the cache');
    return message;
  }

  const selfId = () => deps.session.current()?.user.id ?? null;

  /** A conversation the server answered: into the cache (what it holds beyond it paged behind), as lists show it. */
  async function added(entry: ConversationEntry): Promise<ConversationSummary> {
    await deps.sync.addConversation(entry);
    return summary(entry.id);
  }

  /** Read positions the server listed, kept for "Seen by"; the renderer hears when they moved. */
  async function storeReceipts(
    conversationId: string,
    members: readonly { userId: string; lastReadSeq: number | null }[],
  ): Promise<void> {
    const self = selfId();
    let moved = false;
    for (const m of members) {
      if (m.lastReadSeq === null || m.userId === self) continue;
      if (await db.write('setReceipt', { conversationId, userId: m.userId, seq: m.lastReadSeq, self: false }))
        moved = true;
    }
    if (moved)
      deps.emit('chat:receiptsChanged', {
        conversationId,
        receipts: await db.read('receipts', { conversationId, selfId: self }),
      });
  }

  async function summary(conversationId: string): Promise<ConversationSummary> {
    const [found] = await db.read('conversationSummaries', { ids: [conversationId], selfId: selfId() });
    if (found === undefined) throw new ServiceError('not_found', 'no such conversation');
    return found;
  }

  return {
    conversations: () => db.read('allConversations', { selfId: selfId() }),

    async open(conversationId) {
      let opened = await db.write('markOpened', { conversationId, at: new Date().toISOString() });
      if (opened === null) {
        // Not cached yet (a meeting chat seen for the first time): learn it from the server.
        await deps.sync.refreshConversations();
        opened = await db.write('markOpened', { conversationId, at: new Date().toISOString() });
      }
      if (opened === null) throw new ServiceError('not_found', 'no such conversation');
      background(deps.sync.syncConversation(conversationId));
      deps.sync.reportRead(conversationId);
      return summary(conversationId);
    },

    createChannel: async (request) => added(await deps.session.call('createChannel', { body: request })),

    startDirect: async (userId) => added(await deps.session.call('startDirect', { body: { userId } })),

    createGroup: async (request) => added(await deps.session.call('createGroup', { body: request })),

    update: async (conversationId, patch) =>
      added(await deps.session.call('updateConversation', { params: { conversationId }, body: patch })),

    async members(conversationId) {
      const [{ members }, people] = await Promise.all([
        deps.session.call('listMembers', { params: { conversationId } }),
        db.read('people', null),
      ]);
      const names = new Map(people.map((p) => [p.id, p.name]));
      await storeReceipts(conversationId, members);
      return members.map((m) => ({
        userId: m.userId,
        name: names.get(m.userId) ?? m.userId,
        role: m.role,
        joinedAt: m.joinedAt,
      }));
    },

    addMembers: async ({ conversationId, userIds, history }) =>
      added(
        await deps.session.call('addMembers', {
          params: { conversationId },
          body: { userIds: [...userIds], history },
        }),
      ),

    async removeMember(conversationId, userId) {
      await deps.session.call('removeMember', { params: { conversationId, userId } });
      await deps.sync.refreshConversation(conversationId);
    },

    async leave(conversationId) {
      await deps.session.call('leaveConversation', { params: { conversationId }, body: {} });
      const cached = await db.read('conversation', conversationId);
      if (cached?.private === true) await deps.sync.dropConversations([conversationId], 'left', null);
      else if (await db.write('setLeft', { conversationId, left: true }))
        await deps.sync.announceConversations([conversationId]);
    },

    join: async (conversationId) =>
      added(await deps.session.call('joinConversation', { params: { conversationId }, body: {} })),

    async markRead(conversationId) {
      if (await db.write('markRead', { conversationId })) await deps.sync.announceConversations([conversationId]);
      deps.sync.reportRead(conversationId);
      return summary(conversationId);
    },

    async receipts(conversationId) {
      const cached = await db.read('receipts', { conversationId, selfId: selfId() });
      const conversation = await db.read('conversation', conversationId);
      if (conversation?.kind === 'direct' || conversation?.kind === 'group') {
        background(
          deps.session
            .call('listMembers', { params: { conversationId } })
            .then(({ members }) => storeReceipts(conversationId, members)),
        );
      }
      return cached;
    },

    list: (args) => db.read('messages', args),

    async send({ conversationId, body, threadOf, files, urgent }) {
      const user = deps.session.current();
      if (user === null) throw new ServiceError('unauthenticated', 'not signed in');
      const message = await db.write('enqueueMessage', {
        conversationId,
        clientId: uuidv7(),
        authorId: user.user.id,
        body,
        at: new Date().toISOString(),
        threadOf,
        // Only what a message carries of each file.
        files: files?.map(({ id, name, contentType, sizeBytes }) => ({ id, name, contentType, sizeBytes })),
        urgent,
      });
      // A reply changes its root's count and last reply too.
      const root = threadOf === undefined ? null : await db.read('message', threadOf);
      deps.emit('chat:messages', { conversationId, messages: root === null ? [message] : [root, message] });
      deps.outbox.kick();
      await deps.sync.announceConversations([conversationId]);
      return message;
    },

    async edit({ conversationId, messageId, body }) {
      const event = await deps.session.call('editMessage', {
        params: { conversationId, messageId },
        body: { clientId: uuidv7(), body },
      });
      return applied(event);
    },

    async delete({ conversationId, messageId }) {
      const event = await deps.session.call('deleteMessage', {
        params: { conversationId, messageId },
        body: { clientId: uuidv7() },
      });
      return applied(event);
    },

    thread: ({ rootId }) => db.read('thread', { rootId }),

    async react({ conversationId, messageId, emoji, add }) {
      const event = await deps.session.call(add ? 'reactToMessage' : 'unreactToMessage', {
        params: { conversationId, messageId },
        body: { clientId: uuidv7(), emoji },
      });
      return applied(event);
    },

    async retry(clientId) {
      const message = await db.write('retryMessage', { clientId, at: new Date().toISOString() });
      if (message === null) throw new ServiceError('not_found', 'no such message');
      deps.emit('chat:messages', { conversationId: message.conversationId, messages: [message] });
      deps.outbox.kick();
      return message;
    },

    async discard(clientId) {
      if (!(await db.write('discardMessage', { clientId }))) {
        throw new ServiceError('not_found', 'no message that failed to send has this id');
      }
    },

    async search(args) {
      const { query: q, limit, ...filters } = args;
      const segments = transcriptFilter(filters);
      const [local, people, heldTranscripts] = await Promise.all([
        db.read('search', args),
        db.read('people', null),
        segments === null ? [] : db.read('searchTranscripts', { query: q, limit, ...segments }),
      ]);
      // Offline or signed out, the server cannot be asked: this device's answer is the whole of it.
      const offline = (error: unknown) => {
        if (isUnavailable(error) || (error instanceof ServiceError && error.code === 'unauthenticated')) return null;
        throw error;
      };
      const [server, serverTranscripts] = await Promise.all([
        deps.session.call('search', { query: { q, limit, ...filters } }).catch(offline),
        segments === null
          ? null
          : deps.session.call('searchTranscripts', { query: { q, limit, ...segments } }).catch(offline),
      ]);
      const transcripts = mergeTranscriptHits(heldTranscripts, serverTranscripts?.hits ?? null, q, limit);
      const words = q.toLowerCase();
      if (server === null) {
        const channels = (await db.read('allConversations', { selfId: selfId() }))
          .filter((c) => c.kind === 'channel' && c.name.toLowerCase().includes(words))
          .map((c) => ({ id: c.id, name: c.name, private: c.private, archived: c.archivedAt !== null }));
        const named = people.filter((p) => p.name.toLowerCase().includes(words));
        return { messages: local, files: [], channels, people: named, transcripts, scope: 'device' };
      }
      const names = new Map(people.map((p) => [p.id, p.name]));
      const held = new Set(local.map((h) => h.message.clientId));
      const found = server.messages
        .filter((m) => !held.has(m.messageId))
        .map((m) => serverSearchHit(m, names.get(m.authorId) ?? m.authorId, q));
      const messages = [...local, ...found]
        .sort((a, b) => b.message.sentAt.localeCompare(a.message.sentAt))
        .slice(0, limit);
      return {
        messages,
        files: server.files,
        channels: server.channels,
        people: server.people.map(({ id, name }) => ({ id, name })),
        transcripts,
        scope: 'everywhere',
      };
    },

    people: () => db.read('people', null),

    typing(conversationId, typing) {
      deps.realtime.typing(conversationId, typing);
    },

    onServerMessage(message) {
      if (message.type !== 'typing') return;
      const { conversationId, userId, name, typing } = message;
      deps.emit('chat:othersTyping', { conversationId, userId, name, typing });
    },
  };
}
