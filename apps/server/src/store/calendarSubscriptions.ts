import { z } from 'zod';
import type { Db } from './db.ts';
import { isPostgres } from './dialect.ts';

export type CalendarSubscription = {
  /** The provider's subscription id. */
  readonly id: string;
  readonly orgId: string;
  readonly userId: string;
  readonly provider: 'microsoft' | 'google';
  /** What every notification of this subscription carries (checked in constant time). */
  readonly clientState: string;
  readonly expiresAt: string;
  /** Google: the watched resource's id (to stop the channel). */
  readonly resourceId: string | null;
  /** Google: where the incremental list goes on from; null before the first full list. */
  readonly syncToken: string | null;
};

/** A calendar notification accepted and waiting to be followed (046_calendar_notifications). */
export type CalendarNotification = {
  readonly id: string;
  readonly subscriptionId: string;
  /** Graph: the events the notification named; Google: none (its changes are listed). */
  readonly eventIds: readonly string[];
  /** Attempts that failed so far. */
  readonly attempts: number;
};

const EventIdsSchema = z.array(z.string());

const toSubscription = (r: {
  id: string;
  organisation_id: string;
  user_id: string;
  provider: string;
  client_state: string;
  expires_at: string;
  resource_id: string | null;
  sync_token: string | null;
}): CalendarSubscription => ({
  id: r.id,
  orgId: r.organisation_id,
  userId: r.user_id,
  provider: r.provider === 'google' ? 'google' : 'microsoft',
  clientState: r.client_state,
  expiresAt: r.expires_at,
  resourceId: r.resource_id,
  syncToken: r.sync_token,
});

/** Change subscriptions on people's connected calendars (issue 22: calendars kept in sync). */
export function calendarSubscriptionStore(db: Db) {
  return {
    /** One subscription per person and provider: a new one replaces the old. */
    async put(s: CalendarSubscription): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .deleteFrom('calendar_subscriptions')
          .where('organisation_id', '=', s.orgId)
          .where('user_id', '=', s.userId)
          .where('provider', '=', s.provider)
          .execute();
        await tx
          .insertInto('calendar_subscriptions')
          .values({
            id: s.id,
            organisation_id: s.orgId,
            user_id: s.userId,
            provider: s.provider,
            client_state: s.clientState,
            expires_at: s.expiresAt,
            resource_id: s.resourceId,
            sync_token: s.syncToken,
          })
          .execute();
      });
    },

    /** Unscoped: a notification names only the subscription. */
    async get(id: string): Promise<CalendarSubscription | undefined> {
      const r = await db.selectFrom('calendar_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : toSubscription(r);
    },

    async expiringBefore(at: string): Promise<CalendarSubscription[]> {
      const rows = await db.selectFrom('calendar_subscriptions').selectAll().where('expires_at', '<', at).execute();
      return rows.map(toSubscription);
    },

    async renewed(id: string, expiresAt: string): Promise<void> {
      await db.updateTable('calendar_subscriptions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
    },

    async synced(id: string, syncToken: string): Promise<void> {
      await db.updateTable('calendar_subscriptions').set({ sync_token: syncToken }).where('id', '=', id).execute();
    },

    async delete(id: string): Promise<void> {
      await db.deleteFrom('calendar_subscriptions').where('id', '=', id).execute();
    },

    /** The queue of notifications accepted and not yet followed (services/calendarInbox.ts). */
    notifications: {
      async enqueue(
        n: { readonly id: string; readonly subscriptionId: string; readonly eventIds: readonly string[] },
        at: string,
      ): Promise<void> {
        await db
          .insertInto('calendar_notifications')
          .values({
            id: n.id,
            subscription_id: n.subscriptionId,
            event_ids: JSON.stringify(n.eventIds),
            attempts: 0,
            next_attempt_at: at,
            created_at: at,
          })
          .execute();
      },

      /**
       * Takes up to `limit` due notifications in one transaction, each claimed until `claimUntil`
       * (due again then, if never settled). On PostgreSQL rows another instance is claiming are
       * skipped, so no notification is followed twice at once.
       */
      async claimDue(now: string, limit: number, claimUntil: string): Promise<CalendarNotification[]> {
        return db.transaction().execute(async (tx) => {
          const rows = await tx
            .selectFrom('calendar_notifications')
            .selectAll()
            .where('next_attempt_at', '<=', now)
            .orderBy('next_attempt_at')
            .limit(limit)
            .$if(isPostgres(tx), (q) => q.forUpdate().skipLocked())
            .execute();
          if (rows.length === 0) return [];
          await tx
            .updateTable('calendar_notifications')
            .set({ next_attempt_at: claimUntil })
            .where(
              'id',
              'in',
              rows.map((r) => r.id),
            )
            .execute();
          return rows.map((r) => ({
            id: r.id,
            subscriptionId: r.subscription_id,
            eventIds: EventIdsSchema.parse(JSON.parse(r.event_ids)),
            attempts: r.attempts,
          }));
        });
      },

      /** When the next notification is due (or a claim runs out); null when none waits. */
      async nextDueAt(): Promise<string | null> {
        const r = await db
          .selectFrom('calendar_notifications')
          .select((eb) => eb.fn.min('next_attempt_at').as('at'))
          .executeTakeFirst();
        return r?.at ?? null;
      },

      /** Followed, or given up on: off the queue. */
      async done(id: string): Promise<void> {
        await db.deleteFrom('calendar_notifications').where('id', '=', id).execute();
      },

      /** Failed once more: due again at `at`. */
      async retry(id: string, attempts: number, at: string): Promise<void> {
        await db
          .updateTable('calendar_notifications')
          .set({ attempts, next_attempt_at: at })
          .where('id', '=', id)
          .execute();
      },
    },
  };
}

export type CalendarSubscriptionStore = ReturnType<typeof calendarSubscriptionStore>;
