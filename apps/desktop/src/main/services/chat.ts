import { randomUUID } from 'node:crypto';
import type { ChatMessageView, ConversationView, SearchHit } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import { ServiceError, isUnavailable } from './errors.ts';
import type { Emit } from './events.ts';
import type { Outbox } from './outbox.ts';
import type { Realtime } from './realtime.ts';
import type { Session } from './session.ts';
import type { SyncEngine } from './sync.ts';

export type ChatService = {
  conversations(scope: 'recent' | 'all'): Promise<ConversationView[]>;
  open(conversationId: string): Promise<ConversationView>;
  list(args: { conversationId: string; beforeSeq?: number | undefined; limit: number }): Promise<ChatMessageView[]>;
  send(args: { conversationId: string; body: string }): Promise<ChatMessageView>;
  search(args: { query: string; conversationId?: string | undefined; limit: number }): Promise<SearchHit[]>;
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

const RECENT_CONVERSATIONS = 20;

/** Reads answer from the cache at once; the network only ever updates the cache behind them. */
export function createChat(deps: ChatDeps): ChatService {
  const { db } = deps;
  const background = (work: Promise<unknown>) =>
    void work.catch((error: unknown) => {
      if (!isUnavailable(error)) deps.onError?.(error);
    });

  return {
    conversations: (scope) =>
      scope === 'all' ? db.read('allConversations', null) : db.read('recentConversations', RECENT_CONVERSATIONS),

    async open(conversationId) {
      let opened = await db.write('markOpened', { conversationId, at: new Date().toISOString() });
      if (opened === null) {
        // Not cached yet (a meeting chat seen for the first time): learn it from the server.
        await deps.sync.refreshConversations();
        opened = await db.write('markOpened', { conversationId, at: new Date().toISOString() });
      }
      if (opened === null) throw new ServiceError('not_found', 'no such conversation');
      deps.realtime.subscribe([{ conversationId, since: opened.syncedSeq }]);
      background(deps.sync.syncConversation(conversationId));
      return opened;
    },

    list: (args) => db.read('messages', args),

    async send({ conversationId, body }) {
      const user = deps.session.current();
      if (user === null) throw new ServiceError('unauthenticated', 'not signed in');
      const message = await db.write('enqueueMessage', {
        conversationId,
        clientId: randomUUID(),
        authorId: user.user.id,
        body,
        at: new Date().toISOString(),
      });
      deps.emit('chat:messages', { conversationId, messages: [message] });
      deps.outbox.kick();
      return message;
    },

    search: (args) => db.read('search', args),
  };
}
