import {
  RegistrationQuestionSchema,
  type Registrant,
  type RegistrantStatus,
  type RegistrationSettings,
} from '@tandem/shared';
import { z } from 'zod';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

type RegistrantRow = Database['webinar_registrants'];

const AnswersSchema = z.record(z.string(), z.string());

const toRegistrant = (r: RegistrantRow): Registrant => ({
  id: r.id,
  meetingId: r.meeting_id,
  name: r.name,
  email: r.email,
  answers: AnswersSchema.parse(JSON.parse(r.answers)),
  status: r.status as RegistrantStatus,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
  joinedAt: r.joined_at,
});

export type NewRegistrant = Registrant & {
  readonly organisationId: string;
  /** Set when approved at once. */
  readonly tokenHash: string | null;
};

/** The statuses that hold a seat: capacity counts them. */
const SEATED: readonly RegistrantStatus[] = ['pending', 'approved'];

export function registrationStore(db: Db) {
  return {
    async settings(meetingId: string): Promise<RegistrationSettings | undefined> {
      const r = await db
        .selectFrom('webinar_registration')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .executeTakeFirst();
      if (r === undefined) return undefined;
      return {
        open: r.open === 1,
        approval: r.approval === 'manual' ? 'manual' : 'automatic',
        capacity: r.capacity,
        questions: z.array(RegistrationQuestionSchema).parse(JSON.parse(r.questions)),
      };
    },

    async putSettings(meetingId: string, s: RegistrationSettings, now: string): Promise<void> {
      const values = {
        open: s.open ? 1 : 0,
        approval: s.approval,
        capacity: s.capacity,
        questions: JSON.stringify(s.questions),
        updated_at: now,
      };
      await db
        .insertInto('webinar_registration')
        .values({ meeting_id: meetingId, ...values })
        .onConflict((oc) => oc.column('meeting_id').doUpdateSet(values))
        .execute();
    },

    /**
     * Stores a registrant unless the webinar is full or the address registered already; the
     * count and the insert are one transaction.
     */
    async register(r: NewRegistrant, capacity: number | null): Promise<'registered' | 'full' | 'already'> {
      return db.transaction().execute(async (tx) => {
        const existing = await tx
          .selectFrom('webinar_registrants')
          .select('id')
          .where('meeting_id', '=', r.meetingId)
          .where('email', '=', r.email)
          .executeTakeFirst();
        if (existing !== undefined) return 'already';
        if (capacity !== null) {
          const { n } = await tx
            .selectFrom('webinar_registrants')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('meeting_id', '=', r.meetingId)
            .where('status', 'in', SEATED)
            .executeTakeFirstOrThrow();
          if (Number(n) >= capacity) return 'full';
        }
        await tx
          .insertInto('webinar_registrants')
          .values({
            id: r.id,
            organisation_id: r.organisationId,
            meeting_id: r.meetingId,
            name: r.name,
            email: r.email,
            answers: JSON.stringify(r.answers),
            status: r.status,
            token_hash: r.tokenHash,
            user_id: null,
            created_at: r.createdAt,
            decided_at: r.decidedAt,
            joined_at: null,
          })
          .execute();
        return 'registered';
      });
    },

    async seated(meetingId: string): Promise<number> {
      const { n } = await db
        .selectFrom('webinar_registrants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('meeting_id', '=', meetingId)
        .where('status', 'in', SEATED)
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    /** Oldest first, each with the guest account its link made (null until it joined). */
    async list(
      organisationId: string,
      meetingId: string,
    ): Promise<(Registrant & { readonly userId: string | null })[]> {
      const rows = await db
        .selectFrom('webinar_registrants')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('meeting_id', '=', meetingId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ ...toRegistrant(r), userId: r.user_id }));
    },

    async get(organisationId: string, meetingId: string, id: string): Promise<Registrant | undefined> {
      const r = await db
        .selectFrom('webinar_registrants')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('meeting_id', '=', meetingId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r === undefined ? undefined : toRegistrant(r);
    },

    /** A new status; an approval's new token hash replaces the old one, anything else keeps it (a revoked link stays known, and refused). */
    async decide(id: string, status: RegistrantStatus, tokenHash: string | undefined, now: string): Promise<void> {
      await db
        .updateTable('webinar_registrants')
        .set({ status, decided_at: now, ...(tokenHash === undefined ? {} : { token_hash: tokenHash }) })
        .where('id', '=', id)
        .execute();
    },

    /** Unscoped: a link names no organisation; its token's hash finds it. */
    async byToken(
      tokenHash: string,
    ): Promise<(Registrant & { readonly organisationId: string; readonly userId: string | null }) | undefined> {
      const r = await db
        .selectFrom('webinar_registrants')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return r === undefined ? undefined : { ...toRegistrant(r), organisationId: r.organisation_id, userId: r.user_id };
    },

    /** The guest account the link made, and the first time it joined. */
    async joined(id: string, userId: string, now: string): Promise<void> {
      await db.updateTable('webinar_registrants').set({ user_id: userId }).where('id', '=', id).execute();
      await db
        .updateTable('webinar_registrants')
        .set({ joined_at: now })
        .where('id', '=', id)
        .where('joined_at', 'is', null)
        .execute();
    },
  };
}

export type RegistrationStore = ReturnType<typeof registrationStore>;
