import { ChatEventSchema, ConversationSchema, PresenceSchema, ServerMessageSchema } from '@tandem/shared';
import { z } from 'zod';
import type { EndReason, Log, Realtime } from '../services/realtime.ts';
import type { Cluster } from './cluster.ts';

const END_REASONS = ['session_ended', 'deactivated', 'role_changed'] as const satisfies readonly EndReason[];

/** What one instance tells the others, checked on arrival like anything else from outside. */
const BusMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('chat'),
    conversation: ConversationSchema,
    event: ChatEventSchema,
    offset: z.number().int(),
    /** The roster version the event was written under: receivers judge it by one at least as new. */
    rosterVersion: z.number().int(),
  }),
  z.object({
    kind: z.literal('typing'),
    conversation: ConversationSchema,
    from: z.object({ id: z.string(), name: z.string() }),
    typing: z.boolean(),
    /** The roster version committed when the signal was sent: judged like a chat event's. */
    rosterVersion: z.number().int(),
  }),
  z.object({ kind: z.literal('toOrg'), organisationId: z.string(), message: ServerMessageSchema }),
  /** A presence change: each instance sends it to its own watchers of the person (realtime.ts `presence`). */
  z.object({ kind: z.literal('presence'), organisationId: z.string(), presence: PresenceSchema }),
  z.object({ kind: z.literal('toUsers'), userIds: z.array(z.string()), message: ServerMessageSchema }),
  z.object({ kind: z.literal('conversationChanged'), conversationId: z.string() }),
  z.object({ kind: z.literal('endSession'), sessionId: z.string(), reason: z.enum(END_REASONS) }),
  z.object({ kind: z.literal('endUser'), userId: z.string(), reason: z.enum(END_REASONS) }),
  /** Page rooms' own traffic: read by pageRelay.ts. */
  z.object({ kind: z.literal('page') }),
]);
type BusMessage = z.input<typeof BusMessageSchema>;

/** How often connections are brought up to the database's newest event however the bus fares. */
const CATCH_UP_MS = 2_000;

/**
 * Realtime across instances: everything this instance fans out to its own connections is also
 * published for the others, which fan it out to theirs. Chat events are published after commit
 * and only as a prompt: a receiver delivers by offset from the database (see realtime.ts), so a
 * lost or late message costs latency, never an event; after the bus comes back, and every
 * CATCH_UP_MS, connections are caught up from the database (after the bus comes back, every
 * conversation's access is read again too: its word of changes may have been lost). Typing and
 * presence are lossy by nature. Ended sessions close sockets, and changed conversations are read
 * again, on every instance.
 */
export function clusteredRealtime(
  realtime: Realtime,
  cluster: Cluster,
  log: Log,
  observeLag: (seconds: number) => void,
): Realtime & { stop(): void } {
  const publish = (message: BusMessage): void => cluster.publish(message);
  const catchUp = (lostWord: boolean) => (): void =>
    void realtime.catchUp(lostWord).catch((e: unknown) => log('chat catch-up failed', e));
  cluster.onMessage((raw) => {
    const parsed = BusMessageSchema.safeParse(raw);
    if (!parsed.success) {
      log('unreadable cluster message', parsed.error);
      return;
    }
    const m = parsed.data;
    switch (m.kind) {
      case 'chat':
        observeLag((Date.now() - Date.parse(m.event.createdAt)) / 1000);
        realtime.chat(m.conversation, m.event, m.offset, m.rosterVersion);
        return;
      case 'typing':
        void realtime
          .typing(m.conversation, m.from, m.typing, m.rosterVersion)
          .catch((e: unknown) => log('typing failed', e));
        return;
      case 'toOrg':
        realtime.toOrg(m.organisationId, m.message);
        return;
      case 'presence':
        realtime.presence(m.organisationId, m.presence);
        return;
      case 'toUsers':
        realtime.toUsers(new Set(m.userIds), m.message);
        return;
      case 'conversationChanged':
        realtime.conversationChanged(m.conversationId);
        return;
      case 'endSession':
        realtime.endSession(m.sessionId, m.reason);
        return;
      case 'endUser':
        realtime.endUser(m.userId, m.reason);
        return;
      case 'page':
        return;
    }
  });
  cluster.onResync(catchUp(true));
  const timer = cluster.shared ? setInterval(catchUp(false), CATCH_UP_MS) : undefined;
  timer?.unref();
  const tracked = (userId: string, delta: 1 | -1): void =>
    void cluster.connections(userId, delta).catch((e: unknown) => log('connection count failed', e));
  return {
    ...realtime,
    connect(caller, send, end, drained, recheck) {
      const connection = realtime.connect(caller, send, end, drained, recheck);
      tracked(caller.user.id, 1);
      return {
        resume: (cursor) => connection.resume(cursor),
        watch: (userIds) => connection.watch(userIds),
        close() {
          connection.close();
          tracked(caller.user.id, -1);
        },
      };
    },
    chat(conversation, event, offset, rosterVersion) {
      realtime.chat(conversation, event, offset, rosterVersion);
      publish({ kind: 'chat', conversation, event, offset, rosterVersion });
    },
    async typing(conversation, from, typing, rosterVersion) {
      publish({ kind: 'typing', conversation, from: { id: from.id, name: from.name }, typing, rosterVersion });
      await realtime.typing(conversation, from, typing, rosterVersion);
    },
    toOrg(organisationId, message) {
      realtime.toOrg(organisationId, message);
      publish({ kind: 'toOrg', organisationId, message });
    },
    presence(organisationId, presence) {
      realtime.presence(organisationId, presence);
      publish({ kind: 'presence', organisationId, presence });
    },
    toUsers(userIds, message) {
      realtime.toUsers(userIds, message);
      publish({ kind: 'toUsers', userIds: [...userIds], message });
    },
    conversationChanged(conversationId) {
      realtime.conversationChanged(conversationId);
      publish({ kind: 'conversationChanged', conversationId });
    },
    endSession(sessionId, reason) {
      realtime.endSession(sessionId, reason);
      publish({ kind: 'endSession', sessionId, reason });
    },
    endUser(userId, reason) {
      realtime.endUser(userId, reason);
      publish({ kind: 'endUser', userId, reason });
    },
    stop() {
      clearInterval(timer);
    },
  };
}
