import { randomUUID } from 'node:crypto';
import type {
  ChatEvent,
  ChatMessageView,
  ConversationSummary,
  MentionPerson,
  MessageReaction,
  SearchHit,
  ServerMessage,
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
  /** A new organisation-wide channel, created on the server and followed at once. */
  createChannel(name: string): Promise<ConversationSummary>;
  list(args: { conversationId: string; beforeSeq?: number | undefined; limit: number }): Promise<ChatMessageView[]>;
  /** `threadOf`: a reply in the thread of that top-level message. */
  send(args: { conversationId: string; body: string; threadOf?: string | undefined }): Promise<ChatMessageView>;
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
  search(args: { query: string; conversationId?: string | undefined; limit: number }): Promise<SearchHit[]>;
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
      return summary(conversationId);
    },

    async createChannel(name) {
      const conversation = await deps.session.call('createChannel', { body: { name } });
      await deps.sync.addConversation(conversation);
      return summary(conversation.id);
    },

    list: (args) => db.read('messages', args),

    async send({ conversationId, body, threadOf }) {
      const user = deps.session.current();
      if (user === null) throw new ServiceError('unauthenticated', 'not signed in');
      const message = await db.write('enqueueMessage', {
        conversationId,
        clientId: randomUUID(),
        authorId: user.user.id,
        body,
        at: new Date().toISOString(),
        threadOf,
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
        body: { clientId: randomUUID(), body },
      });
      return applied(event);
    },

    async delete({ conversationId, messageId }) {
      const event = await deps.session.call('deleteMessage', {
        params: { conversationId, messageId },
        body: { clientId: randomUUID() },
      });
      return applied(event);
    },

    thread: ({ rootId }) => db.read('thread', { rootId }),

    async react({ conversationId, messageId, emoji, add }) {
      const event = await deps.session.call(add ? 'reactToMessage' : 'unreactToMessage', {
        params: { conversationId, messageId },
        body: { clientId: randomUUID(), emoji },
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

    search: (args) => db.read('search', args),

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
