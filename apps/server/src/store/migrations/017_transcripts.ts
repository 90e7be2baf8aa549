import { type Kysely } from 'kysely';

/**
 * Transcripts and live captions (issue 14). Each organisation decides whether its meetings are
 * transcribed (off until an owner or admin turns it on). A segment is one utterance of one
 * speaker, kept with when it was said; it belongs to its meeting and organisation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('transcription', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('transcript_segments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('speaker_user_id', 'text')
    .addColumn('speaker_name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('transcript_segments_by_meeting')
    .on('transcript_segments')
    .columns(['meeting_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('transcript_segments_by_organisation')
    .on('transcript_segments')
    .columns(['organisation_id', 'started_at'])
    .execute();
}
