import type {
  ChatEvent,
  Conversation,
  CreateChannelRequest,
  DeleteMessageRequest,
  EditMessageRequest,
  HistoryPage,
  ReactionRequest,
  SendMessageRequest,
} from '@tandem/shared';
import { ReactionStateError, type NewChatEvent } from '../store/chat.ts';
import type { Store } from '../store/index.ts';
import { type Caller, isOrgAdmin, newId, nowIso } from './context.ts';
import { badRequest, conflict, forbidden, found, notFound } from './errors.ts';
import { guestRules } from './guests.ts';
import type { Realtime } from './realtime.ts';

export function chatService(store: Store, realtime: Realtime) {
  const guests = guestRules(store);

  async function get(caller: Caller, conversationId: string): Promise<Conversation> {
    const conversation = found(await store.chat.get(caller.user.organisationId, conversationId), 'conversation');
    if (!(await guests.mayReadConversation(caller, conversation))) throw notFound('conversation');
    return conversation;
  }

  /**
   * A meeting with chat turned off takes no new events; its history stays readable. In an
   * end-to-end encrypted meeting chat travels over encrypted LiveKit data instead, so the server
   * must never hold it in plain text.
   */
  async function writable(caller: Caller, conversationId: string): Promise<Conversation> {
    const conversation = await get(caller, conversationId);
    if (conversation.meetingId !== null) {
      const meeting = found(await store.meetings.get(caller.user.organisationId, conversation.meetingId), 'meeting');
      if (!meeting.settings.chat) throw forbidden('chat is turned off in this meeting');
      if (meeting.settings.e2ee)
        throw forbidden('chat in an end-to-end encrypted meeting travels over LiveKit data only');
    }
    return conversation;
  }

  /**
   * Appends once per clientId. A resend answers the stored event; the same clientId used by
   * someone else, or for a different action, is a conflict rather than a silent mix-up.
   */
  async function append(
    caller: Caller,
    conversation: Conversation,
    e: Omit<NewChatEvent, 'conversationId'>,
  ): Promise<ChatEvent> {
    const { event, offset, created } = await store.chat
      .append({ ...e, conversationId: conversation.id })
      .catch((error: unknown) => {
        if (error instanceof ReactionStateError) throw conflict(error.message);
        throw error;
      });
    if (!created) {
      const same =
        event.authorId === caller.user.id &&
        event.type === e.type &&
        event.messageId === e.messageId &&
        (event.type !== 'react' && event.type !== 'unreact' ? true : event.emoji === e.emoji) &&
        (event.type !== 'message' ? true : event.threadOf === e.threadOf);
      if (!same) {
        throw conflict('this clientId was already used for another event');
      }
      return event;
    }
    realtime.chat(conversation, event, offset);
    return event;
  }

  async function target(
    caller: Caller,
    conversationId: string,
    messageId: string,
    clientId: string,
  ): Promise<ChatEvent | undefined> {
    const retry = await store.chat.byClientId(conversationId, clientId);
    if (retry !== undefined) return undefined;
    const message = await store.chat.byClientId(conversationId, messageId);
    if (message?.type !== 'message') throw notFound('message');
    if (await store.chat.isDeleted(conversationId, messageId)) throw conflict('the message is deleted');
    return message;
  }

  return {
    async list(caller: Caller): Promise<Conversation[]> {
      const all = await store.chat.list(caller.user.organisationId);
      const readable = await Promise.all(all.map((c) => guests.mayReadConversation(caller, c)));
      return all.filter((_, i) => readable[i]);
    },

    get,

    async createChannel(caller: Caller, req: CreateChannelRequest): Promise<Conversation> {
      if (caller.user.role === 'guest') throw forbidden('guests cannot create channels');
      const conversation: Conversation = {
        id: newId(),
        organisationId: caller.user.organisationId,
        kind: 'channel',
        meetingId: null,
        name: req.name,
        latestSeq: 0,
        createdAt: nowIso(),
      };
      await store.chat.insertConversation(conversation);
      realtime.toOrg(conversation.organisationId, { type: 'conversation.created', conversation });
      return conversation;
    },

    async history(caller: Caller, conversationId: string, since: number, limit: number): Promise<HistoryPage> {
      const conversation = await get(caller, conversationId);
      const events = await store.chat.since(conversation.id, since, limit + 1);
      return { events: events.slice(0, limit), latestSeq: conversation.latestSeq, hasMore: events.length > limit };
    },

    async send(caller: Caller, conversationId: string, req: SendMessageRequest): Promise<ChatEvent> {
      const conversation = await writable(caller, conversationId);
      // A resend answers the stored event, even if its thread's root was deleted since.
      if (req.threadOf !== undefined && (await store.chat.byClientId(conversation.id, req.clientId)) === undefined) {
        const root = await store.chat.byClientId(conversation.id, req.threadOf);
        if (root?.type !== 'message') throw notFound('message');
        if (root.threadOf !== undefined) throw badRequest('a reply cannot start a thread: reply to its root');
        if (await store.chat.isDeleted(conversation.id, root.messageId)) throw conflict('the message is deleted');
      }
      return append(caller, conversation, {
        clientId: req.clientId,
        messageId: req.clientId,
        authorId: caller.user.id,
        type: 'message',
        body: req.body,
        createdAt: nowIso(),
        threadOf: req.threadOf,
      });
    },

    /** Adds (`react`) or takes back (`unreact`) the caller's reaction; anyone who may write may react. */
    async react(
      caller: Caller,
      conversationId: string,
      messageId: string,
      type: 'react' | 'unreact',
      req: ReactionRequest,
    ): Promise<ChatEvent> {
      const conversation = await writable(caller, conversationId);
      await target(caller, conversation.id, messageId, req.clientId);
      return append(caller, conversation, {
        clientId: req.clientId,
        messageId,
        authorId: caller.user.id,
        type,
        body: null,
        createdAt: nowIso(),
        emoji: req.emoji,
      });
    },

    /**
     * A lossy "is writing" signal, never stored: passed on only where the caller could send a
     * message (so not in a meeting with chat off, nor in an end-to-end encrypted one).
     */
    async typing(caller: Caller, conversationId: string, typing: boolean): Promise<void> {
      const conversation = await writable(caller, conversationId);
      await realtime.typing(conversation, caller, typing);
    },

    async edit(caller: Caller, conversationId: string, messageId: string, req: EditMessageRequest): Promise<ChatEvent> {
      const conversation = await writable(caller, conversationId);
      const message = await target(caller, conversation.id, messageId, req.clientId);
      if (message !== undefined && message.authorId !== caller.user.id)
        throw forbidden('only the author edits a message');
      return append(caller, conversation, {
        clientId: req.clientId,
        messageId,
        authorId: caller.user.id,
        type: 'edit',
        body: req.body,
        createdAt: nowIso(),
      });
    },

    async delete(
      caller: Caller,
      conversationId: string,
      messageId: string,
      req: DeleteMessageRequest,
    ): Promise<ChatEvent> {
      const conversation = await writable(caller, conversationId);
      const message = await target(caller, conversation.id, messageId, req.clientId);
      if (message !== undefined && message.authorId !== caller.user.id && !isOrgAdmin(caller)) {
        throw forbidden('only the author or an admin deletes a message');
      }
      return append(caller, conversation, {
        clientId: req.clientId,
        messageId,
        authorId: caller.user.id,
        type: 'delete',
        body: null,
        createdAt: nowIso(),
      });
    },
  };
}

export type ChatService = ReturnType<typeof chatService>;
