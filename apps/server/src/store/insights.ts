import type { Db } from './db.ts';

/** One visit of a person to a meeting's call (attendance from LiveKit's webhooks). */
export type Visit = {
  readonly meetingId: string;
  readonly userId: string;
  readonly joinedAt: string;
  readonly leftAt: string | null;
};

/** One utterance's speaker and times (a transcript segment without its words). */
export type Utterance = {
  readonly userId: string | null;
  readonly name: string;
  readonly startedAt: string;
  readonly endedAt: string;
};

/** What insights read: attendance and speaking, of one meeting or of an organisation since a time. */
export function insightsStore(db: Db) {
  const visits = () =>
    db
      .selectFrom('attendance')
      .innerJoin('meetings', 'meetings.id', 'attendance.meeting_id')
      .select([
        'attendance.meeting_id as meetingId',
        'attendance.user_id as userId',
        'attendance.joined_at as joinedAt',
        'attendance.left_at as leftAt',
      ])
      .where('attendance.user_id', 'is not', null)
      .orderBy('attendance.joined_at');
  const utterances = () =>
    db
      .selectFrom('transcript_segments')
      .select(['speaker_user_id as userId', 'speaker_name as name', 'started_at as startedAt', 'ended_at as endedAt']);
  /** Only people: the hidden service participants (recorder, transcriber) have no user id. */
  const people = (rows: { meetingId: string; userId: string | null; joinedAt: string; leftAt: string | null }[]) =>
    rows.flatMap((r): Visit[] => (r.userId === null ? [] : [{ ...r, userId: r.userId }]));

  return {
    async visitsOf(organisationId: string, meetingId: string): Promise<Visit[]> {
      return people(
        await visits()
          .where('meetings.organisation_id', '=', organisationId)
          .where('attendance.meeting_id', '=', meetingId)
          .execute(),
      );
    },
    async visitsSince(organisationId: string, since: string): Promise<Visit[]> {
      return people(
        await visits()
          .where('meetings.organisation_id', '=', organisationId)
          .where('attendance.joined_at', '>=', since)
          .execute(),
      );
    },
    /** Who attended which meeting (with its title) since a time: what participant suggestions rank from. */
    async attendeesSince(
      organisationId: string,
      since: string,
    ): Promise<{ meetingId: string; title: string; userId: string }[]> {
      const rows = await db
        .selectFrom('attendance')
        .innerJoin('meetings', 'meetings.id', 'attendance.meeting_id')
        .select(['attendance.meeting_id as meetingId', 'meetings.title as title', 'attendance.user_id as userId'])
        .distinct()
        .where('meetings.organisation_id', '=', organisationId)
        .where('attendance.joined_at', '>=', since)
        .where('attendance.user_id', 'is not', null)
        .execute();
      return rows.flatMap((r) => (r.userId === null ? [] : [{ ...r, userId: r.userId }]));
    },
    async utterancesOf(organisationId: string, meetingId: string): Promise<Utterance[]> {
      return utterances().where('organisation_id', '=', organisationId).where('meeting_id', '=', meetingId).execute();
    },
    async utterancesSince(organisationId: string, since: string): Promise<Utterance[]> {
      return utterances().where('organisation_id', '=', organisationId).where('started_at', '>=', since).execute();
    },
  };
}

export type InsightsStore = ReturnType<typeof insightsStore>;
