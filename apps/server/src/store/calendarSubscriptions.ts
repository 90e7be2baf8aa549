import type { Db } from './db.ts';

export type CalendarSubscription = {
  /** The provider's subscription id. */
  readonly id: string;
  readonly orgId: string;
  readonly userId: string;
  readonly provider: 'microsoft';
  /** What every notification of this subscription carries (checked in constant time). */
  readonly clientState: string;
  readonly expiresAt: string;
};

const toSubscription = (r: {
  id: string;
  organisation_id: string;
  user_id: string;
  client_state: string;
  expires_at: string;
}): CalendarSubscription => ({
  id: r.id,
  orgId: r.organisation_id,
  userId: r.user_id,
  provider: 'microsoft',
  clientState: r.client_state,
  expiresAt: r.expires_at,
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

    async delete(id: string): Promise<void> {
      await db.deleteFrom('calendar_subscriptions').where('id', '=', id).execute();
    },
  };
}

export type CalendarSubscriptionStore = ReturnType<typeof calendarSubscriptionStore>;
