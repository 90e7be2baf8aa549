import { pageKeyString, skillKey, type ExpertAskStatus, type PageKey } from '@tandem/shared';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** An ask as stored: people by id (the service names them), the page room by meeting id. */
export type ExpertAskRow = {
  readonly id: string;
  readonly organisationId: string;
  readonly askedBy: string;
  readonly skill: string;
  readonly note: string;
  readonly page: PageKey;
  readonly url: string;
  readonly title: string;
  readonly meetingId: string;
  readonly rung: readonly string[];
  readonly declined: readonly string[];
  readonly answeredBy: string | null;
  readonly status: ExpertAskStatus;
  readonly createdAt: string;
  readonly ringUntil: string;
  readonly finishedAt: string | null;
};

const ids = (json: string): string[] => {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
};

const toAsk = (r: Database['expert_asks']): ExpertAskRow => ({
  id: r.id,
  organisationId: r.organisation_id,
  askedBy: r.asked_by,
  skill: r.skill,
  note: r.note,
  page: { app: r.app, view: r.view, recordId: r.record_id },
  url: r.url,
  title: r.title,
  meetingId: r.meeting_id,
  rung: ids(r.rung),
  declined: ids(r.declined),
  answeredBy: r.answered_by,
  status: r.status as ExpertAskStatus,
  createdAt: r.created_at,
  ringUntil: r.ring_until,
  finishedAt: r.finished_at,
});

/**
 * Skills, page rooms and asks for an expert (031_experts). Every query names the organisation,
 * except `lapsed`: the sweep that calls asks missed once their ringing time is over, for all.
 */
export function expertStore(db: Db) {
  const ask = async (organisationId: string, id: string): Promise<ExpertAskRow | undefined> => {
    const r = await db
      .selectFrom('expert_asks')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r === undefined ? undefined : toAsk(r);
  };

  return {
    async skillsOf(organisationId: string, userId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('user_skills')
        .select('skill')
        .where('organisation_id', '=', organisationId)
        .where('user_id', '=', userId)
        .orderBy('position')
        .execute();
      return rows.map((r) => r.skill);
    },

    /** Replaces a person's skills with these (the first spelling of each kept), in one transaction. */
    async setSkills(organisationId: string, userId: string, skills: readonly string[]): Promise<void> {
      const seen = new Set<string>();
      const rows = skills.flatMap((skill) => {
        const key = skillKey(skill);
        if (seen.has(key)) return [];
        seen.add(key);
        return [{ skill: skill.trim(), skill_key: key }];
      });
      await db.transaction().execute(async (tx) => {
        await tx
          .deleteFrom('user_skills')
          .where('organisation_id', '=', organisationId)
          .where('user_id', '=', userId)
          .execute();
        if (rows.length > 0)
          await tx
            .insertInto('user_skills')
            .values(rows.map((r, position) => ({ organisation_id: organisationId, user_id: userId, position, ...r })))
            .execute();
      });
    },

    /** Every (person, skill) of the organisation: the directory. */
    async allSkills(organisationId: string): Promise<{ userId: string; skill: string; key: string }[]> {
      const rows = await db
        .selectFrom('user_skills')
        .select(['user_id', 'skill', 'skill_key'])
        .where('organisation_id', '=', organisationId)
        .orderBy('skill_key')
        .orderBy('user_id')
        .execute();
      return rows.map((r) => ({ userId: r.user_id, skill: r.skill, key: r.skill_key }));
    },

    /** Who lists a skill (any spelling), and how they spell it. */
    async holders(organisationId: string, skill: string): Promise<{ userId: string; skill: string }[]> {
      const rows = await db
        .selectFrom('user_skills')
        .select(['user_id', 'skill'])
        .where('organisation_id', '=', organisationId)
        .where('skill_key', '=', skillKey(skill))
        .execute();
      return rows.map((r) => ({ userId: r.user_id, skill: r.skill }));
    },

    /** The meeting a page's asks meet in, or undefined before its first ask. */
    async pageRoom(organisationId: string, page: PageKey): Promise<string | undefined> {
      const r = await db
        .selectFrom('page_rooms')
        .select('meeting_id')
        .where('organisation_id', '=', organisationId)
        .where('page_key', '=', pageKeyString(page))
        .executeTakeFirst();
      return r?.meeting_id;
    },

    /** Keeps `meetingId` as the page's room (replacing one that was cancelled). */
    async putPageRoom(organisationId: string, page: PageKey, meetingId: string): Promise<void> {
      const key = pageKeyString(page);
      await db
        .insertInto('page_rooms')
        .values({ organisation_id: organisationId, page_key: key, meeting_id: meetingId })
        .onConflict((oc) => oc.columns(['organisation_id', 'page_key']).doUpdateSet({ meeting_id: meetingId }))
        .execute();
    },

    async insertAsk(a: Omit<ExpertAskRow, 'declined' | 'answeredBy' | 'status' | 'finishedAt'>): Promise<ExpertAskRow> {
      await db
        .insertInto('expert_asks')
        .values({
          id: a.id,
          organisation_id: a.organisationId,
          asked_by: a.askedBy,
          skill: a.skill,
          note: a.note,
          page_key: pageKeyString(a.page),
          app: a.page.app,
          view: a.page.view,
          record_id: a.page.recordId,
          url: a.url,
          title: a.title,
          meeting_id: a.meetingId,
          rung: JSON.stringify(a.rung),
          declined: '[]',
          answered_by: null,
          status: 'ringing',
          created_at: a.createdAt,
          ring_until: a.ringUntil,
          finished_at: null,
        })
        .execute();
      const made = await ask(a.organisationId, a.id);
      if (made === undefined) throw new Error('the ask just written is not there');
      return made;
    },

    ask,

    /**
     * Ends an ask that still rings: `answered` by `answeredBy`, or missed, declined, cancelled.
     * False when it no longer rang (someone answered first, it was cancelled or it lapsed).
     */
    async finish(
      organisationId: string,
      id: string,
      status: Exclude<ExpertAskStatus, 'ringing'>,
      answeredBy: string | null,
      now: string,
    ): Promise<boolean> {
      const r = await db
        .updateTable('expert_asks')
        .set({ status, answered_by: answeredBy, finished_at: now })
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .where('status', '=', 'ringing')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    /** Adds one who declined; answers the ask as it now is (undefined when it no longer rang). */
    async decline(organisationId: string, id: string, userId: string): Promise<ExpertAskRow | undefined> {
      return db.transaction().execute(async (tx) => {
        const r = await tx
          .selectFrom('expert_asks')
          .selectAll()
          .where('organisation_id', '=', organisationId)
          .where('id', '=', id)
          .where('status', '=', 'ringing')
          .executeTakeFirst();
        if (r === undefined) return undefined;
        const declined = [...new Set([...ids(r.declined), userId])];
        await tx
          .updateTable('expert_asks')
          .set({ declined: JSON.stringify(declined) })
          .where('id', '=', id)
          .where('status', '=', 'ringing')
          .execute();
        return toAsk({ ...r, declined: JSON.stringify(declined) });
      });
    },

    /** Asks still ringing past their time: the ones to call missed (a restart finds them too). */
    async lapsed(now: string): Promise<ExpertAskRow[]> {
      const rows = await db
        .selectFrom('expert_asks')
        .selectAll()
        .where('status', '=', 'ringing')
        .where('ring_until', '<=', now)
        .execute();
      return rows.map(toAsk);
    },
  };
}

export type ExpertStore = ReturnType<typeof expertStore>;
