import {
  URGENT_CONVERSATION_KINDS,
  type ChatEvent,
  type ChatFileRef,
  type Conversation,
  type DeleteMessageRequest,
  type EditMessageRequest,
  type FileSearchHit,
  type HistoryPage,
  type MessageSearchHit,
  type MessageSearchParams,
  type SearchResult,
  type ReactionRequest,
  type SendMessageRequest,
} from '@tandem/shared';
import { FileAttachError, ReactionStateError, StandingError, type NewChatEvent } from '../store/chat.ts';
import { fileRef, type Store } from '../store/index.ts';
import type { ConversationAccess, Reach, Readable } from './conversationAccess.ts';
import { type Caller, isOrgAdmin, nowIso, SEARCH_PAGE, SEARCH_SCAN } from './context.ts';
import { badRequest, conflict, forbidden, found, notFound } from './errors.ts';
import type { Realtime } from './realtime.ts';

export function chatService(store: Store, realtime: Realtime, access: ConversationAccess) {
  /**
   * An archived conversation is read-only. A meeting with chat turned off takes no new events;
   * its history stays readable. In an end-to-end encrypted meeting chat travels over encrypted
   * LiveKit data instead, so the server must never hold it in plain text. The conversation's record
   * is the one last read (`access.known`): its `latestSeq` is not current, and what it says of the
   * caller's standing is checked again inside the append's transaction (see `append`).
   */
  async function writable(caller: Caller, conversationId: string): Promise<Readable> {
    const readable = await access.known(caller, conversationId);
    const { conversation } = readable;
    if (conversation.archivedAt !== null) throw forbidden('the conversation is archived: it is read-only');
    if (conversation.meetingId !== null) {
      const meeting = found(await store.meetings.get(caller.user.organisationId, conversation.meetingId), 'meeting');
      if (!meeting.settings.chat) throw forbidden('chat is turned off in this meeting');
      if (meeting.settings.e2ee)
        throw forbidden(
          'this meeting is end-to-end encrypted: its chat travels encrypted between participants and the server neither carries nor keeps it',
        );
    }
    return readable;
  }

  /** A message of the conversation the caller can see (one from before they were added without history is not theirs). */
  function visible(at: Readable, message: ChatEvent | undefined): Extract<ChatEvent, { type: 'message' }> {
    if (message?.type !== 'message' || message.seq <= at.from) throw notFound('message');
    return message;
  }

  /**
   * `writable` judged again from the database, for an append refused inside its transaction: the
   * caller's standing changed after what `writable` last knew (removed, archived, chat turned off),
   * and the refusal is the one `writable` gives from then on.
   */
  async function refused(caller: Caller, conversationId: string): Promise<never> {
    access.forget(conversationId);
    await writable(caller, conversationId);
    // The standing came back between the refused append and this read: the caller may send again.
    throw conflict('your access to this conversation changed while this was written: send it again');
  }

  /**
   * Appends once per clientId. A resend answers the stored event; the same clientId used by
   * someone else, or for a different action, is a conflict rather than a silent mix-up. The
   * caller's standing is checked again in the append's transaction (`StandingError`).
   */
  async function append(
    caller: Caller,
    conversation: Conversation,
    e: Omit<NewChatEvent, 'conversationId'>,
  ): Promise<ChatEvent> {
    const outcome = await store.chat.append({ ...e, conversationId: conversation.id }).catch((error: unknown) => {
      if (error instanceof ReactionStateError || error instanceof FileAttachError) throw conflict(error.message);
      if (error instanceof StandingError) return refused(caller, conversation.id);
      throw error;
    });
    const { event, offset } = outcome;
    if (!outcome.created) {
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
    realtime.chat({ ...conversation, latestSeq: event.seq }, event, offset, outcome.rosterVersion);
    return event;
  }

  /**
   * The files a new message carries: the author's own uploads into this conversation, attached to
   * no message yet (checked again inside the append's transaction, so two messages never share one).
   */
  async function attachable(caller: Caller, conversationId: string, ids: readonly string[]): Promise<ChatFileRef[]> {
    const files = new Map((await store.files.inConversation(conversationId, ids)).map((f) => [f.id, f]));
    return ids.map((id) => {
      const file = files.get(id);
      if (file?.uploadedBy !== caller.user.id) throw notFound('file');
      if (file.messageId !== null) throw conflict('a file is attached to another message already');
      return fileRef(file);
    });
  }

  /** The caller's reach in each conversation, asked once per conversation (see `conversationAccess.ts`). */
  function reader(caller: Caller): (conversationId: string) => Promise<Reach> {
    const reaches = new Map<string, Promise<Reach>>();
    return (conversationId) => {
      let found = reaches.get(conversationId);
      if (found === undefined) {
        found = store.chat
          .get(caller.user.organisationId, conversationId)
          .then((c) => (c === undefined ? null : access.reach(caller, c)));
        reaches.set(conversationId, found);
      }
      return found;
    };
  }

  /**
   * Messages containing the words, newest first, judged message by message by the one access
   * rule: never from a conversation the caller may not read, nor from before they were added
   * without history. Scans at most SEARCH_SCAN rows for the page.
   */
  async function searchMessages(
    caller: Caller,
    query: MessageSearchParams,
    reachOf = reader(caller),
  ): Promise<MessageSearchHit[]> {
    if (query.conversationId !== undefined) await access.readable(caller, query.conversationId);
    const hits: MessageSearchHit[] = [];
    let before = Number.MAX_SAFE_INTEGER;
    for (let scanned = 0; scanned < SEARCH_SCAN && hits.length < query.limit; scanned += SEARCH_PAGE) {
      const rows = await store.chat.search(caller.user.organisationId, query.q, {
        ...query,
        beforeOffset: before,
        limit: SEARCH_PAGE,
      });
      for (const { event, offset } of rows) {
        before = offset;
        const from = await reachOf(event.conversationId);
        if (from === null || event.seq <= from) continue;
        const { conversationId, messageId, seq, authorId, body, createdAt, threadOf, files } = event;
        hits.push({
          conversationId,
          messageId,
          seq,
          authorId,
          body,
          createdAt,
          ...(threadOf === undefined ? {} : { threadOf }),
          ...(files === undefined ? {} : { files }),
        });
        if (hits.length === query.limit) break;
      }
      if (rows.length < SEARCH_PAGE) break;
    }
    return hits;
  }

  /** The message an event is about, visible and not deleted; undefined for a resend (the append answers it). */
  async function target(at: Readable, messageId: string, clientId: string): Promise<ChatEvent | undefined> {
    const found = await store.chat.target(at.conversation.id, messageId, clientId);
    if (found.resend) return undefined;
    const message = visible(at, found.message);
    if (found.deleted) throw conflict('the message is deleted');
    return message;
  }

  return {
    /** The conversation, if the caller may write in it now (uploads ask too). */
    writable,

    /**
     * Messages containing the words, newest first, judged message by message by the one access
     * rule: never from a conversation the caller may not read, nor from before they were added
     * without history. Scans at most SEARCH_SCAN rows for the page.
     */
    search: searchMessages,

    /**
     * Everything matching that the caller may read: messages (with the filters), files by name
     * (attached to a message the caller may read, not deleted), channels (public, or private
     * with the caller in them) and people (a guest finds nobody).
     */
    async searchEverything(caller: Caller, query: MessageSearchParams): Promise<SearchResult> {
      const reachOf = reader(caller);
      const { organisationId } = caller.user;
      const files: FileSearchHit[] = [];
      let beforeCreatedAt: string | null = null;
      for (let scanned = 0; scanned < SEARCH_SCAN && files.length < query.limit; scanned += SEARCH_PAGE) {
        const rows = await store.files.named(organisationId, query.q, {
          ...query,
          beforeCreatedAt,
          limit: SEARCH_PAGE,
        });
        for (const file of rows) {
          beforeCreatedAt = file.createdAt;
          if (file.messageId === null) continue;
          const from = await reachOf(file.conversationId);
          if (from === null) continue;
          const message = await store.chat.byClientId(file.conversationId, file.messageId);
          if (message === undefined || message.seq <= from) continue;
          if (await store.chat.isDeleted(file.conversationId, file.messageId)) continue;
          const { conversationId, messageId, uploadedBy, createdAt } = file;
          files.push({ ...fileRef(file), conversationId, messageId, uploadedBy, createdAt });
          if (files.length === query.limit) break;
        }
        if (rows.length < SEARCH_PAGE) break;
      }
      const channels = (
        await Promise.all(
          (await store.chat.channelsNamed(organisationId, query.q, SEARCH_PAGE)).map(async (c) =>
            (await access.reach(caller, c)) === null ? [] : [c],
          ),
        )
      )
        .flat()
        .slice(0, query.limit)
        .map((c) => ({ id: c.id, name: c.name, private: c.private, archived: c.archivedAt !== null }));
      const people =
        caller.user.role === 'guest'
          ? []
          : (await store.identity.peopleNamed(organisationId, query.q, query.limit)).map(({ id, name, email }) => ({
              id,
              name,
              email,
            }));
      return { messages: await searchMessages(caller, query, reachOf), files, channels, people };
    },

    /** Events after `since`, never from before the caller could see (added without history). */
    async history(caller: Caller, conversationId: string, since: number, limit: number): Promise<HistoryPage> {
      const { conversation, from } = await access.readable(caller, conversationId);
      const events = await store.chat.since(conversation.id, Math.max(since, from), limit + 1);
      return { events: events.slice(0, limit), latestSeq: conversation.latestSeq, hasMore: events.length > limit };
    },

    async send(caller: Caller, conversationId: string, req: SendMessageRequest): Promise<ChatEvent> {
      const at = await writable(caller, conversationId);
      const { conversation } = at;
      // A resend answers the stored event, even if its thread's root was deleted since (or its files
      // attached). Only a reply or a message with files needs to know before appending: the append
      // itself answers a resend with the stored event.
      const thread =
        req.threadOf === undefined ? undefined : await store.chat.target(conversation.id, req.threadOf, req.clientId);
      const resend =
        thread?.resend ??
        (req.files !== undefined && (await store.chat.byClientId(conversation.id, req.clientId)) !== undefined);
      if (thread !== undefined && !resend) {
        const root = visible(at, thread.message);
        if (root.threadOf !== undefined) throw badRequest('a reply cannot start a thread: reply to its root');
        if (thread.deleted) throw conflict('the message is deleted');
      }
      if (req.urgent === true && !URGENT_CONVERSATION_KINDS.has(conversation.kind))
        throw badRequest('only messages in direct and group chats can be urgent');
      const files =
        req.files === undefined || resend ? undefined : await attachable(caller, conversation.id, req.files);
      return append(caller, conversation, {
        clientId: req.clientId,
        messageId: req.clientId,
        authorId: caller.user.id,
        type: 'message',
        body: req.body,
        createdAt: nowIso(),
        threadOf: req.threadOf,
        files,
        urgent: req.urgent,
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
      const at = await writable(caller, conversationId);
      const { conversation } = at;
      await target(at, messageId, req.clientId);
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
     * message (so not in a meeting with chat off, nor in an end-to-end encrypted one). It carries
     * the conversation's roster version as committed when it was sent, and is judged like a chat
     * event by a roster at least that new, so someone removed hears no signal sent after the
     * removal committed, whichever instance they are on and however late it hears of it.
     */
    async typing(caller: Caller, conversationId: string, typing: boolean): Promise<void> {
      const { conversation } = await writable(caller, conversationId);
      const rosterVersion = await store.conversations.rosterVersion(conversation.id);
      await realtime.typing(conversation, caller.user, typing, rosterVersion);
    },

    async edit(caller: Caller, conversationId: string, messageId: string, req: EditMessageRequest): Promise<ChatEvent> {
      const at = await writable(caller, conversationId);
      const { conversation } = at;
      const message = await target(at, messageId, req.clientId);
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
      const at = await writable(caller, conversationId);
      const { conversation } = at;
      const message = await target(at, messageId, req.clientId);
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
