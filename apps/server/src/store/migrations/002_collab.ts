import type { Kysely } from 'kysely';
import { autoIncrementKey } from '../dialect.ts';

/** Breakout rooms, the hand-raise queue, polls and Q&A of a meeting. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('breakout_sessions')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('allow_choose', 'integer', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('breakout_rooms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('livekit_room', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex('breakout_rooms_by_meeting').on('breakout_rooms').columns(['meeting_id']).execute();
  await db.schema
    .createTable('breakout_assignments')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('breakout_rooms.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('breakout_assignments_pk', ['meeting_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('breakout_help')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('breakout_rooms.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('breakout_help_by_meeting').on('breakout_help').columns(['meeting_id']).execute();

  // `id` grows with arrival, which orders hands raised within the same millisecond.
  await db.schema
    .createTable('raised_hands')
    .addColumn('id', ...autoIncrementKey(db))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('raised_hands_one_per_user', ['meeting_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('polls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('multiple', 'integer', (c) => c.notNull())
    .addColumn('anonymous', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('polls_by_meeting').on('polls').columns(['meeting_id', 'created_at']).execute();
  // Who voted, to allow one vote each; kept apart from the choices so an anonymous ballot names nobody.
  await db.schema
    .createTable('poll_voters')
    .addColumn('poll_id', 'text', (c) => c.notNull().references('polls.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('poll_voters_pk', ['poll_id', 'user_id'])
    .execute();
  // `voter_id` is null in an anonymous poll.
  await db.schema
    .createTable('poll_choices')
    .addColumn('id', ...autoIncrementKey(db))
    .addColumn('poll_id', 'text', (c) => c.notNull().references('polls.id'))
    .addColumn('option_index', 'integer', (c) => c.notNull())
    .addColumn('voter_id', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('poll_choices_by_poll').on('poll_choices').columns(['poll_id']).execute();

  await db.schema
    .createTable('questions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('answered', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('questions_by_meeting').on('questions').columns(['meeting_id']).execute();
  await db.schema
    .createTable('question_votes')
    .addColumn('question_id', 'text', (c) => c.notNull().references('questions.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('voted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('question_votes_pk', ['question_id', 'user_id'])
    .execute();
}
