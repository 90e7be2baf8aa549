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

/** A page and who is on it through one instance, as that instance shares it for the others' Pages views. */
const RosterPageSchema = z.object({
  page: PageKeySchema,
  url: z.string(),
  title: z.string(),
  members: z.array(RelayedMemberSchema),
});
export type RosterPage = z.infer<typeof RosterPageSchema>;
const RosterSchema = z.array(RosterPageSchema);

/**
 * What the instances holding one page tell each other (`kind: 'page'`; the fan-out of realtime.ts
 * leaves these alone), on the page's own channel (`pageChannel`), which only the instances holding
 * the page subscribe to. Binary Yjs and awareness updates travel as base64.
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
      members: z.array(RelayedMemberSchema),
    }),
    /** The page's field locks after a delegation changed: field → the only person who may write it. */
    z.object({ op: z.literal('locks'), ...OnPage, locks: z.array(z.tuple([z.string(), z.string()])) }),
    /** A control message to everyone on the page. */
    z.object({ op: z.literal('broadcast'), ...OnPage, message: PageServerMessageSchema }),
    /** The status of someone on the page changed: its roster shows it. */
    z.object({ op: z.literal('restatus'), ...OnPage, userId: z.string() }),
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

/** The shared key (Cluster.share) of an organisation's roster of pages. */
const ROSTER = 'pages:';

/**
 * Page rooms across coordination instances (services/pageRooms.ts holds the rooms): what one
 * instance sends about a page reaches the other instances holding it (those that `join`ed it),
 * and no other. Who is on the organisation's pages through each instance (its roster) is kept in
 * Redis beside the instance's liveness (Cluster.share), for any instance to read when someone asks
 * for the Pages view: an instance with nobody of an organisation hears none of its page traffic.
 * Alone (no REDIS_URL) nothing is sent or shared and `shared` is false, so the rooms skip encoding
 * anything for it.
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
  /** Who is on the organisation's pages through this instance from now on (none: nobody). */
  shareRoster(organisationId: string, pages: readonly RosterPage[]): void;
  /** Who is on the organisation's pages through the other live instances. */
  rosters(organisationId: string): Promise<RosterPage[]>;
  /** The organisations whose rosters lost an instance that died, among the keys it left (Cluster.orphans). */
  organisationsIn(keys: readonly string[]): string[];
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
      cluster.publish(message, pageChannel(op.organisationId, op.page));
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
    shareRoster(organisationId, pages) {
      if (!cluster.shared) return;
      cluster
        .share(`${ROSTER}${organisationId}`, pages.length === 0 ? null : JSON.stringify(pages))
        .catch((e: unknown) => log('sharing who is on pages failed (written again as Redis answers)', e));
    },
    async rosters(organisationId) {
      if (!cluster.shared) return [];
      const entries = await cluster.entries(`${ROSTER}${organisationId}`);
      entries.delete(cluster.instanceId);
      return [...entries.values()].flatMap((raw) => {
        try {
          return RosterSchema.parse(JSON.parse(raw));
        } catch (e) {
          log('unreadable roster of pages from another instance', e);
          return [];
        }
      });
    },
    organisationsIn: (keys) => keys.filter((k) => k.startsWith(ROSTER)).map((k) => k.slice(ROSTER.length)),
  };
}
