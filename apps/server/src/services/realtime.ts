import type { ChatEvent, Conversation, ConversationCursor, ServerMessage } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { Caller } from './context.ts';
import { guestRules } from './guests.ts';

export type Send = (message: ServerMessage) => void;
export type Log = (message: string, error: unknown) => void;
/**
 * Why the server ends a live connection: its session was signed out or revoked, the account was
 * deactivated (the client must not come back), or the person's role changed (a new connection
 * is authenticated with the new role, so a new guest stops hearing organisation-wide news).
 */
export type EndReason = 'session_ended' | 'deactivated' | 'role_changed';

/** Whose access ends: one session, or every session of a person. */
export type Ended = { readonly sessionId: string } | { readonly userId: string };

const serialised = new WeakMap<ServerMessage, string>();
/**
 * A message's JSON, computed once however many connections it goes to: fan-out hands the same
 * message object to every recipient's `Send`, so only the first one serialises it.
 */
export function frameOf(message: ServerMessage): string {
  let json = serialised.get(message);
  if (json === undefined) {
    json = JSON.stringify(message);
    serialised.set(message, json);
  }
  return json;
}

/** One conversation a connection follows, and the newest seq it has been sent. */
type Subscription = { last: number; chain: Promise<void> };

type Connection = {
  readonly caller: Caller;
  readonly send: Send;
  /** Ends the connection from the server's side. */
  readonly end: (reason: EndReason) => void;
  readonly subscriptions: Map<string, Subscription>;
};

export type RealtimeConnection = {
  subscribe(cursors: readonly ConversationCursor[]): Promise<void>;
  unsubscribe(conversationIds: readonly string[]): void;
  close(): void;
};

const PAGE = 500;

/**
 * Fan-out to WebSocket connections. Chat delivery per (connection, conversation) runs on one
 * promise chain and only ever sends seq `last + 1`: a replay, live events that arrive during it,
 * and any event that overtakes another are all put in order from the database, so a client
 * sees every seq once, ascending, with no gap.
 */
export function createRealtime(store: Store, log: Log) {
  const connections = new Set<Connection>();
  const guests = guestRules(store);
  const endListeners = new Set<(ended: Ended) => void>();

  async function sendUpTo(c: Connection, conversationId: string, sub: Subscription, upTo: number): Promise<void> {
    while (sub.last < upTo) {
      const events = await store.chat.since(conversationId, sub.last, PAGE);
      for (const event of events) {
        if (event.seq > upTo) return;
        c.send({ type: 'chat.event', event });
        sub.last = event.seq;
      }
      if (events.length < PAGE) return;
    }
  }

  function enqueue(sub: Subscription, work: () => Promise<void>): void {
    sub.chain = sub.chain.then(work).catch((e: unknown) => log('chat delivery failed', e));
  }

  return {
    connect(caller: Caller, send: Send, end: (reason: EndReason) => void): RealtimeConnection {
      const c: Connection = { caller, send, end, subscriptions: new Map() };
      connections.add(c);
      return {
        async subscribe(cursors) {
          for (const cursor of cursors) {
            const conversation = await store.chat.get(caller.user.organisationId, cursor.conversationId);
            if (conversation === undefined || !(await guests.mayReadConversation(caller, conversation))) {
              send({
                type: 'error',
                ref: 'subscribe',
                error: { code: 'not_found', message: `conversation ${cursor.conversationId} not found` },
              });
              continue;
            }
            // A cursor ahead of the server would silence every event up to it: clamp it.
            const since = Math.min(cursor.since, conversation.latestSeq);
            const sub: Subscription = c.subscriptions.get(conversation.id) ?? { last: since, chain: Promise.resolve() };
            c.subscriptions.set(conversation.id, sub);
            enqueue(sub, async () => {
              sub.last = Math.min(sub.last, since);
              await sendUpTo(c, conversation.id, sub, Number.MAX_SAFE_INTEGER);
              send({ type: 'subscribed', conversationId: conversation.id, seq: sub.last });
            });
          }
        },
        unsubscribe(conversationIds) {
          for (const id of conversationIds) c.subscriptions.delete(id);
        },
        close() {
          connections.delete(c);
        },
      };
    },

    chat(organisationId: string, event: ChatEvent): void {
      const message: ServerMessage = { type: 'chat.event', event };
      for (const c of connections) {
        if (c.caller.user.organisationId !== organisationId) continue;
        const sub = c.subscriptions.get(event.conversationId);
        if (sub === undefined) continue;
        enqueue(sub, async () => {
          if (event.seq <= sub.last) return;
          await sendUpTo(c, event.conversationId, sub, event.seq - 1);
          if (event.seq === sub.last + 1) {
            c.send(message);
            sub.last = event.seq;
          }
        });
      }
    },

    /**
     * Someone writing (or no longer) in a conversation: to the other people whose connections
     * follow it in its organisation, never back to the writer. Subscribing checked the guest rules;
     * they are checked again, since a guest's admission can end while the socket stays.
     */
    async typing(conversation: Conversation, from: Caller, typing: boolean): Promise<void> {
      const message: ServerMessage = {
        type: 'typing',
        conversationId: conversation.id,
        userId: from.user.id,
        name: from.user.name,
        typing,
      };
      const audience = [...connections].filter(
        (c) =>
          c.caller.user.organisationId === conversation.organisationId &&
          c.caller.user.id !== from.user.id &&
          c.subscriptions.has(conversation.id),
      );
      const allowed = await Promise.all(audience.map((c) => guests.mayReadConversation(c.caller, conversation)));
      audience.forEach((c, i) => {
        if (allowed[i] === true) c.send(message);
      });
    },

    /** Organisation-wide news; guests hear only what is addressed to them (see guests.ts). */
    toOrg(organisationId: string, message: ServerMessage): void {
      for (const c of connections) {
        if (c.caller.user.organisationId === organisationId && !guests.isGuest(c.caller)) c.send(message);
      }
    },

    toUsers(userIds: ReadonlySet<string>, message: ServerMessage): void {
      for (const c of connections) if (userIds.has(c.caller.user.id)) c.send(message);
    },

    /** A signed-out or revoked session keeps no live connection. */
    endSession(sessionId: string, reason: EndReason): void {
      for (const listener of endListeners) listener({ sessionId });
      for (const c of connections) if (c.caller.sessionId === sessionId) c.end(reason);
    },

    endUser(userId: string, reason: EndReason): void {
      for (const listener of endListeners) listener({ userId });
      for (const c of connections) if (c.caller.user.id === userId) c.end(reason);
    },

    /** Hears every session or person whose access ends, before their connections close (auth's cache). */
    onEnd(listener: (ended: Ended) => void): void {
      endListeners.add(listener);
    },

    isConnected(userId: string): boolean {
      for (const c of connections) if (c.caller.user.id === userId) return true;
      return false;
    },
  };
}

export type Realtime = ReturnType<typeof createRealtime>;
