import { createHash } from 'node:crypto';
import { PageKeySchema, pageKeyString, PageServerMessageSchema, type PageKey } from '@tandem/shared';
import { z } from 'zod';
import type { Log } from '../services/realtime.ts';
import type { Cluster } from './cluster.ts';

const Base64 = z.base64();

/** One person's socket on a page of another instance, as that instance last told it. */
const RelayedMemberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  /** The awareness clients the socket speaks for. */
  clientIds: z.array(z.number().int().nonnegative()),
  field: z.string().nullable(),
  idle: z.boolean(),
});
export type RelayedMember = z.infer<typeof RelayedMemberSchema>;

const OnPage = { organisationId: z.string(), page: PageKeySchema };

/**
 * What the instances holding one page tell each other (`kind: 'page'`; the fan-out of realtime.ts
 * leaves these alone), on the page's own channel (`pageChannel`), which only the instances holding
 * the page subscribe to; `members` and `restatus` are the organisation's news and go to every
 * instance on the common bus (see `PageRelay`). Binary Yjs and awareness updates travel as base64.
 */
const PageBusSchema = z.object({
  kind: z.literal('page'),
  op: z.discriminatedUnion('op', [
    /** A change of the page's document (applied with the relay's origin, so it is not sent on again). */
    z.object({ op: z.literal('update'), ...OnPage, update: Base64 }),
    /** A change of the page's awareness made by a socket of the sender. */
    z.object({ op: z.literal('awareness'), ...OnPage, update: Base64 }),
    /** The sender opened the page: whoever holds it answers `state` with what the sender lacks. */
    z.object({ op: z.literal('hello'), ...OnPage, from: z.string(), stateVector: Base64 }),
    z.object({
      op: z.literal('state'),
      ...OnPage,
      from: z.string(),
      to: z.string(),
      /** What `to` lacked, by its state vector. */
      update: Base64,
      /** The sender's own state vector: `to` sends back what the sender lacks. */
      stateVector: Base64,
      /** The awareness of the sender's sockets on the page. */
      awareness: Base64.nullable(),
    }),
    /**
     * Who is on the page through the sender, whole, after each change and every few seconds
     * (`members` empty: nobody any more). Not heard again within the expiry, it is forgotten.
     */
    z.object({
      op: z.literal('members'),
      ...OnPage,
      from: z.string(),
      url: z.string(),
      title: z.string(),
      members: z.array(RelayedMemberSchema),
    }),
    /** The page's field locks after a delegation changed: field → the only person who may write it. */
    z.object({ op: z.literal('locks'), ...OnPage, locks: z.array(z.tuple([z.string(), z.string()])) }),
    /** A control message to everyone on the page. */
    z.object({ op: z.literal('broadcast'), ...OnPage, message: PageServerMessageSchema }),
    /** Someone's status changed: the pages they are on show it. */
    z.object({ op: z.literal('restatus'), organisationId: z.string(), userId: z.string() }),
  ]),
});
export type PageBusMessage = z.infer<typeof PageBusSchema>['op'];

/**
 * The cluster channel of a page: its organisation and key hashed, so any page key or URL makes a
 * safe channel name of one length.
 */
export const pageChannel = (organisationId: string, page: PageKey): string =>
  `page:${createHash('sha256')
    .update(`${organisationId}\n${pageKeyString(page)}`)
    .digest('base64url')}`;

/**
 * Page rooms across coordination instances (services/pageRooms.ts holds the rooms): what one
 * instance sends about a page reaches the other instances holding it (those that `join`ed it);
 * who is on a page (`members`) and status changes reach every instance, whose Pages view lists
 * the organisation's pages. Alone (no REDIS_URL) nothing is sent and `shared` is false, so the
 * rooms skip encoding anything for it.
 */
export type PageRelay = {
  readonly instanceId: string;
  readonly shared: boolean;
  send(message: PageBusMessage): void;
  /** This instance holds the page from now on: it hears the page's traffic (resolves once it does). */
  join(organisationId: string, page: PageKey): Promise<void>;
  /** This instance holds the page no more. */
  leave(organisationId: string, page: PageKey): void;
  onMessage(handler: (message: PageBusMessage) => void): void;
  /** The bus came back after it was lost: what was sent meanwhile may be missing. */
  onResync(handler: () => void): void;
};

export function pageRelay(cluster: Cluster, log: Log): PageRelay {
  return {
    instanceId: cluster.instanceId,
    shared: cluster.shared,
    send(op) {
      if (!cluster.shared) return;
      const message = { kind: 'page', op } satisfies z.input<typeof PageBusSchema>;
      if (op.op === 'members' || op.op === 'restatus') cluster.publish(message);
      else cluster.publish(message, pageChannel(op.organisationId, op.page));
    },
    join: (organisationId, page) => cluster.subscribe(pageChannel(organisationId, page)),
    leave: (organisationId, page) => cluster.unsubscribe(pageChannel(organisationId, page)),
    onMessage(handler) {
      cluster.onMessage((raw) => {
        if (typeof raw !== 'object' || raw === null || (raw as { kind?: unknown }).kind !== 'page') return;
        const parsed = PageBusSchema.safeParse(raw);
        if (!parsed.success) log('unreadable page message from another instance', parsed.error);
        else handler(parsed.data.op);
      });
    },
    onResync: (handler) => cluster.onResync(handler),
  };
}
