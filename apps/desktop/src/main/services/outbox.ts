import type { DbClient } from '../db/client.ts';
import type { OutboxEntry } from '../db/queries.ts';
import { backoffDelay, type Backoff } from './backoff.ts';
import { ServiceError } from './errors.ts';
import type { Emit } from './events.ts';
import type { Session } from './session.ts';

export type Outbox = {
  /** Start sending (if not already); returns at once. */
  kick(): void;
  /** Sends until the outbox is empty or the server cannot be reached; resolves when that run ends. */
  flush(): Promise<void>;
  stop(): void;
};

export type OutboxDeps = {
  readonly db: DbClient;
  readonly session: Session;
  readonly emit: Emit;
  readonly retry?: Backoff;
  readonly onError?: (error: unknown) => void;
};

/**
 * Errors after which the entry can never succeed: the outbox gives up on it rather than block the
 * queue. Anything else (unreachable, 5xx, rate limited, signed out) is retried with backoff.
 */
const PERMANENT = new Set(['bad_request', 'forbidden', 'not_found', 'conflict', 'payload_too_large']);

/**
 * Sends what was written offline: one entry at a time, oldest first, each removed only after
 * the server acknowledged it. Every request carries the entry's client id, which the server
 * dedupes on, so a resend after a crash or a lost answer stores nothing twice: exactly once.
 */
export function createOutbox(deps: OutboxDeps): Outbox {
  const { db, session, emit } = deps;
  const retry = deps.retry ?? { initialMs: 2_000, maxMs: 60_000 };
  let running: Promise<void> | null = null;
  /** Set by every flush: a write enqueued while a run was finishing still gets sent. */
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;
  let stopped = false;

  async function send(entry: OutboxEntry): Promise<void> {
    const payload = entry.payload;
    switch (payload.kind) {
      case 'message.send': {
        const event = await session.call('sendMessage', {
          params: { conversationId: payload.conversationId },
          body: {
            clientId: payload.clientId,
            body: payload.body,
            ...(payload.threadOf === undefined ? {} : { threadOf: payload.threadOf }),
            ...(payload.files === undefined ? {} : { files: payload.files.map((f) => f.id) }),
            ...(payload.urgent === true ? { urgent: true } : {}),
          },
        });
        const messages = await db.write('acknowledgeMessage', { outboxSeq: entry.seq, event });
        emit('chat:messages', { conversationId: payload.conversationId, messages });
        return;
      }
      case 'decision.create': {
        const decision = await session.call('createDecision', { body: payload.request });
        const decisions = await db.write('storeServerDecisions', {
          decisions: [decision],
          acknowledged: { outboxSeq: entry.seq, clientId: payload.request.clientId },
        });
        emit('decisions:changed', { decisions });
        return;
      }
      case 'decision.update': {
        const local = await db.read('decision', payload.decisionClientId);
        if (local?.id == null) throw new ServiceError('not_found', 'the decision never reached the server');
        const decision = await session.call('updateDecision', {
          params: { decisionId: local.id },
          body: payload.patch,
        });
        const decisions = await db.write('storeServerDecisions', {
          decisions: [decision],
          acknowledged: { outboxSeq: entry.seq, clientId: payload.decisionClientId },
        });
        emit('decisions:changed', { decisions });
        return;
      }
      default: {
        const exhaustive: never = payload;
        throw new Error(`unknown outbox entry ${JSON.stringify(exhaustive)}`);
      }
    }
  }

  /** A message stays in the cache marked `failed` (the renderer shows it as not sent); a decision change goes. */
  async function giveUp(entry: OutboxEntry, error: ServiceError): Promise<void> {
    deps.onError?.(error);
    const messages = await db.write('outboxGiveUp', {
      outboxSeq: entry.seq,
      failure: { code: error.code, message: error.message },
    });
    const payload = entry.payload;
    if (payload.kind === 'message.send') {
      emit('chat:messages', { conversationId: payload.conversationId, messages });
    } else {
      const decisions = await db.read('decisions', {});
      emit('decisions:changed', { decisions });
    }
  }

  function later(): void {
    if (stopped || timer !== null) return;
    timer = setTimeout(
      () => {
        timer = null;
        outbox.kick();
      },
      backoffDelay(failures, retry),
    );
    failures += 1;
  }

  async function run(): Promise<void> {
    for (;;) {
      if (stopped || session.current() === null) return;
      const entry = await db.read('outboxHead', null);
      if (entry === null) {
        failures = 0;
        return;
      }
      try {
        await send(entry);
        failures = 0;
      } catch (error) {
        if (error instanceof ServiceError && PERMANENT.has(error.code)) {
          await giveUp(entry, error);
          continue;
        }
        await db.write('outboxFailed', { outboxSeq: entry.seq, error: String(error) });
        // Unreachable or signed out: the realtime link kicks the outbox when it is back.
        if (!(error instanceof ServiceError && (error.code === 'unavailable' || error.code === 'unauthenticated'))) {
          deps.onError?.(error);
        }
        if (!(error instanceof ServiceError && error.code === 'unauthenticated')) later();
        return;
      }
    }
  }

  const outbox: Outbox = {
    kick() {
      void outbox.flush().catch((error: unknown) => deps.onError?.(error));
    },
    flush() {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      again = true;
      running ??= (async () => {
        while (again) {
          again = false;
          await run();
        }
      })().finally(() => {
        running = null;
      });
      return running;
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
  return outbox;
}
