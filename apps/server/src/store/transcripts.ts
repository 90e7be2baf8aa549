import type { TranscriptSearchFilter, TranscriptSegment } from '@tandem/shared';
import { sql, type Selectable } from 'kysely';
import type { Db } from './db.ts';
import { containsWords } from './dialect.ts';
import type { Database } from './schema.ts';

export type NewSegment = TranscriptSegment & { readonly organisationId: string };

const toSegment = (r: Selectable<Database['transcript_segments']>): TranscriptSegment => ({
  id: r.id,
  meetingId: r.meeting_id,
  speaker: { userId: r.speaker_user_id, name: r.speaker_name },
  startedAt: r.started_at,
  endedAt: r.ended_at,
  text: r.text,
});

export function transcriptStore(db: Db) {
  return {
    async add(s: NewSegment): Promise<void> {
      await db
        .insertInto('transcript_segments')
        .values({
          id: s.id,
          organisation_id: s.organisationId,
          meeting_id: s.meetingId,
          speaker_user_id: s.speaker.userId,
          speaker_name: s.speaker.name,
          started_at: s.startedAt,
          ended_at: s.endedAt,
          text: s.text,
        })
        .execute();
    },

    /** The meeting's segments, oldest first; with `words`, only those containing them. */
    async ofMeeting(organisationId: string, meetingId: string, words?: string): Promise<TranscriptSegment[]> {
      let q = db
        .selectFrom('transcript_segments')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('meeting_id', '=', meetingId);
      if (words !== undefined) q = q.where(containsWords(db, sql.ref('text'), words));
      return (await q.orderBy('started_at').orderBy('id').execute()).map(toSegment);
    },

    /**
     * The organisation's segments containing `words`, newest first (then by id), with their
     * meeting's title: narrowed to a speaker (`from`) and to segments begun at or after `after`,
     * before `before`, and, for the next page, to those after `below` (the last one of the page
     * before). Who may read them is the service's to judge.
     */
    async search(
      organisationId: string,
      words: string,
      options: TranscriptSearchFilter & { readonly below?: TranscriptSegment | undefined; readonly limit: number },
    ): Promise<{ meetingTitle: string; segment: TranscriptSegment }[]> {
      const { from, after, before, below, limit } = options;
      let q = db
        .selectFrom('transcript_segments')
        .innerJoin('meetings', 'meetings.id', 'transcript_segments.meeting_id')
        .selectAll('transcript_segments')
        .select('meetings.title as meeting_title')
        .where('transcript_segments.organisation_id', '=', organisationId)
        .where(containsWords(db, sql.ref('transcript_segments.text'), words));
      if (from !== undefined) q = q.where('transcript_segments.speaker_user_id', '=', from);
      if (after !== undefined) q = q.where('transcript_segments.started_at', '>=', after);
      if (before !== undefined) q = q.where('transcript_segments.started_at', '<', before);
      if (below !== undefined)
        q = q.where((eb) =>
          eb.or([
            eb('transcript_segments.started_at', '<', below.startedAt),
            eb.and([
              eb('transcript_segments.started_at', '=', below.startedAt),
              eb('transcript_segments.id', '<', below.id),
            ]),
          ]),
        );
      const rows = await q
        .orderBy('transcript_segments.started_at', 'desc')
        .orderBy('transcript_segments.id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ meetingTitle: r.meeting_title, segment: toSegment(r) }));
    },
  };
}

export type TranscriptStore = ReturnType<typeof transcriptStore>;
