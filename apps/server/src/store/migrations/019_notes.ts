import type { Kysely } from 'kysely';

/**
 * Meeting notes (issue 14).
 *
 * `meeting_notes`: one per generation (at the meeting's end, or asked for); the newest is the
 * meeting's notes. `note_items`: the decisions and action items they propose, in order, each with
 * its evidence (JSON of `NoteEvidence[]`: the transcript segments it came from). An item stays
 * `proposed` until a person confirms it (`decision_id`: the decision it became) or dismisses it.
 *
 * `decisions.moment`: JSON of `DecisionMoment` (segment, recording offset) for a decision
 * confirmed from notes; NULL for the others. `organisations.time_zone`: the IANA zone dates like
 * "Friday" are read in.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .execute();
  await db.schema.alterTable('decisions').addColumn('moment', 'text').execute();
  await db.schema
    .createTable('meeting_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('segment_count', 'integer', (c) => c.notNull())
    .addColumn('generated_at', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema
    .createIndex('meeting_notes_by_meeting')
    .on('meeting_notes')
    .columns(['meeting_id', 'generated_at'])
    .execute();
  await db.schema
    .createTable('note_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notes_id', 'text', (c) => c.notNull().references('meeting_notes.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    .addColumn('owner_name', 'text')
    .addColumn('due_date', 'text')
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_id', 'text', (c) => c.references('decisions.id'))
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_by_name', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('note_items_by_notes').on('note_items').columns(['notes_id', 'position']).execute();
}
