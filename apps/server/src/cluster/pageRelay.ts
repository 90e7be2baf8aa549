import { PageKeySchema, PageServerMessageSchema } from '@tandem/shared';
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
 * What the instances holding one page tell each other (`kind: 'page'` on the cluster bus; the
 * fan-out of realtime.ts leaves these alone). Binary Yjs and awareness updates travel as base64.
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
 * Page rooms across coordination instances (services/pageRooms.ts holds the rooms): what one
 * instance sends about a page reaches the others. Alone (no REDIS_URL) nothing is sent and
 * `shared` is false, so the rooms skip encoding anything for it.
 */
export type PageRelay = {
  readonly instanceId: string;
  readonly shared: boolean;
  send(message: PageBusMessage): void;
  onMessage(handler: (message: PageBusMessage) => void): void;
  /** The bus came back after it was lost: what was sent meanwhile may be missing. */
  onResync(handler: () => void): void;
};

export function pageRelay(cluster: Cluster, log: Log): PageRelay {
  return {
    instanceId: cluster.instanceId,
    shared: cluster.shared,
    send(op) {
      if (cluster.shared) cluster.publish({ kind: 'page', op } satisfies z.input<typeof PageBusSchema>);
    },
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
