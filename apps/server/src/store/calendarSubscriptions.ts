import type { Db } from './db.ts';

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
  };
}

export type CalendarSubscriptionStore = ReturnType<typeof calendarSubscriptionStore>;
