import type { DialInNumber } from '@tandem/shared';
import type { Db } from './db.ts';

/** Meetings that still take callers: neither ended nor cancelled. */
const LIVE = ['scheduled', 'live'] as const;

export function phoneStore(db: Db) {
  return {
    async pinOf(meetingId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('meeting_phone_pins')
        .select('pin')
        .where('meeting_id', '=', meetingId)
        .executeTakeFirst();
      return row?.pin;
    },

    /**
     * Gives the meeting `pin` unless it has one already; answers the meeting's PIN, or undefined
     * when `pin` belongs to another meeting (the caller draws again).
     */
    async claimPin(meetingId: string, pin: string, at: string): Promise<string | undefined> {
      return db.transaction().execute(async (tx) => {
        const own = await tx
          .selectFrom('meeting_phone_pins')
          .select('pin')
          .where('meeting_id', '=', meetingId)
          .executeTakeFirst();
        if (own !== undefined) return own.pin;
        const taken = await tx
          .selectFrom('meeting_phone_pins')
          .select('meeting_id')
          .where('pin', '=', pin)
          .executeTakeFirst();
        if (taken !== undefined) return undefined;
        await tx.insertInto('meeting_phone_pins').values({ meeting_id: meetingId, pin, created_at: at }).execute();
        return pin;
      });
    },

    /** The live meeting a PIN opens, with its organisation. */
    async meetingByPin(pin: string): Promise<{ meetingId: string; organisationId: string } | undefined> {
      const row = await db
        .selectFrom('meeting_phone_pins')
        .innerJoin('meetings', 'meetings.id', 'meeting_phone_pins.meeting_id')
        .select(['meetings.id as meetingId', 'meetings.organisation_id as organisationId'])
        .where('meeting_phone_pins.pin', '=', pin)
        .where('meetings.status', 'in', LIVE)
        .executeTakeFirst();
      return row;
    },

    async numbers(organisationId: string): Promise<DialInNumber[]> {
      const rows = await db
        .selectFrom('dial_in_numbers')
        .select(['number', 'label'])
        .where('organisation_id', '=', organisationId)
        .orderBy('position')
        .execute();
      return rows.map((r) => ({ number: r.number, label: r.label }));
    },

    async setNumbers(organisationId: string, numbers: readonly DialInNumber[]): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('dial_in_numbers').where('organisation_id', '=', organisationId).execute();
        if (numbers.length === 0) return;
        await tx
          .insertInto('dial_in_numbers')
          .values(
            numbers.map((n, position) => ({
              organisation_id: organisationId,
              position,
              number: n.number,
              label: n.label,
            })),
          )
          .execute();
      });
    },

    async recordPinFailure(caller: string, at: string): Promise<void> {
      await db.insertInto('phone_pin_failures').values({ caller, failed_at: at }).execute();
    },

    /** Wrong PINs from `caller` since `since`; older ones are dropped on the way. */
    async pinFailuresSince(caller: string, since: string): Promise<number> {
      await db.deleteFrom('phone_pin_failures').where('failed_at', '<', since).execute();
      const row = await db
        .selectFrom('phone_pin_failures')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('caller', '=', caller)
        .where('failed_at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export type PhoneStore = ReturnType<typeof phoneStore>;
