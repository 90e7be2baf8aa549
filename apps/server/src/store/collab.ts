import type {
  BreakoutSession,
  BreakoutStatus,
  HelpRequest,
  Poll,
  PollStatus,
  Question,
  QuestionModeration,
  RaisedHand,
} from '@tandem/shared';
import type { Generated } from 'kysely';
import type { Db } from './db.ts';

/** Rows of migration 002, as SQLite stores them (booleans 0/1, JSON as text). */
export type CollabTables = {
  breakout_sessions: {
    meeting_id: string;
    status: string;
    allow_choose: number;
    ends_at: string | null;
    updated_at: string;
  };
  breakout_rooms: { id: string; meeting_id: string; position: number; name: string; livekit_room: string };
  breakout_assignments: { meeting_id: string; user_id: string; room_id: string; assigned_at: string };
  breakout_help: { id: string; meeting_id: string; room_id: string; user_id: string; created_at: string };
  raised_hands: { id: Generated<number>; meeting_id: string; user_id: string; raised_at: string };
  polls: {
    id: string;
    organisation_id: string;
    meeting_id: string;
    question: string;
    options: string;
    multiple: number;
    anonymous: number;
    status: string;
    created_by: string;
    created_at: string;
    closed_at: string | null;
  };
  poll_voters: { poll_id: string; user_id: string };
  poll_choices: { id: Generated<number>; poll_id: string; option_index: number; voter_id: string | null };
  questions: {
    id: string;
    organisation_id: string;
    meeting_id: string;
    author_id: string;
    text: string;
    answered: number;
    answer: string | null;
    answered_at: string | null;
    created_at: string;
    /** 025_webinars */
    moderation: string;
    answer_private: number;
  };
  question_votes: { question_id: string; user_id: string; voted_at: string };
};

export type NewBreakoutRoom = { readonly id: string; readonly name: string; readonly livekitRoom: string };
export type AssignmentChange = { readonly userId: string; readonly roomId: string | null };
export type NewPoll = Omit<Poll, 'options' | 'voterCount' | 'closedAt'> & {
  readonly organisationId: string;
  readonly options: readonly string[];
};
export type NewQuestion = { readonly id: string; readonly organisationId: string } & Pick<
  Question,
  'meetingId' | 'authorId' | 'text' | 'createdAt' | 'moderation'
>;
export type VoteOutcome = 'voted' | 'already_voted' | 'not_open';

export function collabStore(base: Db) {
  const db = base.withTables<CollabTables>();

  async function session(meetingId: string): Promise<BreakoutSession | undefined> {
    const s = await db
      .selectFrom('breakout_sessions')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    if (s === undefined) return undefined;
    const rooms = await db
      .selectFrom('breakout_rooms')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .orderBy('position')
      .execute();
    const assigned = await db
      .selectFrom('breakout_assignments')
      .select(['user_id', 'room_id'])
      .where('meeting_id', '=', meetingId)
      .orderBy('assigned_at')
      .orderBy('user_id')
      .execute();
    const help = await db
      .selectFrom('breakout_help')
      .innerJoin('users', 'users.id', 'breakout_help.user_id')
      .selectAll('breakout_help')
      .select('users.name')
      .where('breakout_help.meeting_id', '=', meetingId)
      .orderBy('breakout_help.created_at')
      .execute();
    return {
      meetingId,
      status: s.status as BreakoutStatus,
      allowChoose: s.allow_choose === 1,
      rooms: rooms.map((r) => ({
        id: r.id,
        name: r.name,
        livekitRoom: r.livekit_room,
        participantIds: assigned.filter((a) => a.room_id === r.id).map((a) => a.user_id),
      })),
      endsAt: s.ends_at,
      helpRequests: help.map((h): HelpRequest => ({
        id: h.id,
        roomId: h.room_id,
        userId: h.user_id,
        name: h.name,
        createdAt: h.created_at,
      })),
      updatedAt: s.updated_at,
    };
  }

  async function pollResults(rows: readonly CollabTables['polls'][]): Promise<Poll[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const choices = await db
      .selectFrom('poll_choices')
      .select(['poll_id', 'option_index', 'voter_id'])
      .where('poll_id', 'in', ids)
      .orderBy('id')
      .execute();
    const voters = await db
      .selectFrom('poll_voters')
      .select(['poll_id'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('poll_id', 'in', ids)
      .groupBy('poll_id')
      .execute();
    return rows.map((r) => {
      const anonymous = r.anonymous === 1;
      const mine = choices.filter((c) => c.poll_id === r.id);
      const texts = JSON.parse(r.options) as string[];
      return {
        id: r.id,
        meetingId: r.meeting_id,
        question: r.question,
        options: texts.map((text, index) => {
          const picked = mine.filter((c) => c.option_index === index);
          return {
            text,
            votes: picked.length,
            voterIds: anonymous ? null : picked.flatMap((c) => (c.voter_id === null ? [] : [c.voter_id])),
          };
        }),
        multiple: r.multiple === 1,
        anonymous,
        status: r.status as PollStatus,
        voterCount: Number(voters.find((v) => v.poll_id === r.id)?.n ?? 0),
        createdBy: r.created_by,
        createdAt: r.created_at,
        closedAt: r.closed_at,
      };
    });
  }

  const questionRows = (organisationId: string, meetingId: string) =>
    db
      .selectFrom('questions')
      .innerJoin('users', 'users.id', 'questions.author_id')
      .selectAll('questions')
      .select('users.name')
      .select((eb) =>
        eb
          .selectFrom('question_votes')
          .select((v) => v.fn.countAll<number>().as('n'))
          .whereRef('question_votes.question_id', '=', 'questions.id')
          .as('votes'),
      )
      .where('questions.organisation_id', '=', organisationId)
      .where('questions.meeting_id', '=', meetingId);

  async function toQuestions(
    rows: readonly (CollabTables['questions'] & { name: string; votes: number | null })[],
  ): Promise<Question[]> {
    if (rows.length === 0) return [];
    const votes = await db
      .selectFrom('question_votes')
      .select(['question_id', 'user_id'])
      .where(
        'question_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('voted_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      meetingId: r.meeting_id,
      authorId: r.author_id,
      authorName: r.name,
      text: r.text,
      votes: Number(r.votes ?? 0),
      voterIds: votes.filter((v) => v.question_id === r.id).map((v) => v.user_id),
      answered: r.answered === 1,
      answer: r.answer,
      answeredAt: r.answered_at,
      createdAt: r.created_at,
      moderation: r.moderation as QuestionModeration,
      answerPrivate: r.answer_private === 1,
    }));
  }

  return {
    breakouts: {
      session,

      /** Open sessions whose countdown ran out by `now`, with their meeting's organisation. */
      async overdue(now: string): Promise<{ organisationId: string; meetingId: string }[]> {
        return db
          .selectFrom('breakout_sessions as b')
          .innerJoin('meetings as m', 'm.id', 'b.meeting_id')
          .select(['m.organisation_id as organisationId', 'b.meeting_id as meetingId'])
          .where('b.status', '=', 'open')
          .where('b.ends_at', '<=', now)
          .execute();
      },

      /** A new set of rooms replaces the old one, its assignments and help requests, in one transaction. */
      async create(meetingId: string, rooms: readonly NewBreakoutRoom[], allowChoose: boolean, now: string) {
        await db.transaction().execute(async (tx) => {
          await tx.deleteFrom('breakout_help').where('meeting_id', '=', meetingId).execute();
          await tx.deleteFrom('breakout_assignments').where('meeting_id', '=', meetingId).execute();
          await tx.deleteFrom('breakout_rooms').where('meeting_id', '=', meetingId).execute();
          await tx
            .insertInto('breakout_rooms')
            .values(
              rooms.map((r, position) => ({
                id: r.id,
                meeting_id: meetingId,
                position,
                name: r.name,
                livekit_room: r.livekitRoom,
              })),
            )
            .execute();
          await tx
            .insertInto('breakout_sessions')
            .values({
              meeting_id: meetingId,
              status: 'draft',
              allow_choose: allowChoose ? 1 : 0,
              ends_at: null,
              updated_at: now,
            })
            .onConflict((oc) =>
              oc.column('meeting_id').doUpdateSet({
                status: 'draft',
                allow_choose: allowChoose ? 1 : 0,
                ends_at: null,
                updated_at: now,
              }),
            )
            .execute();
        });
      },

      /** `replaceAll` drops every other assignment first; a null room unassigns. */
      async assign(meetingId: string, changes: readonly AssignmentChange[], replaceAll: boolean, now: string) {
        await db.transaction().execute(async (tx) => {
          if (replaceAll) await tx.deleteFrom('breakout_assignments').where('meeting_id', '=', meetingId).execute();
          for (const c of changes) {
            const roomId = c.roomId;
            if (roomId === null) {
              await tx
                .deleteFrom('breakout_assignments')
                .where('meeting_id', '=', meetingId)
                .where('user_id', '=', c.userId)
                .execute();
              continue;
            }
            await tx
              .insertInto('breakout_assignments')
              .values({ meeting_id: meetingId, user_id: c.userId, room_id: roomId, assigned_at: now })
              .onConflict((oc) =>
                oc.columns(['meeting_id', 'user_id']).doUpdateSet({ room_id: roomId, assigned_at: now }),
              )
              .execute();
          }
          await tx
            .updateTable('breakout_sessions')
            .set({ updated_at: now })
            .where('meeting_id', '=', meetingId)
            .execute();
        });
      },

      /**
       * Moves the session from one of `from` to `to`; false when it was in none of them (someone
       * else got there first). Closing clears the help requests.
       */
      async transition(
        meetingId: string,
        from: readonly BreakoutStatus[],
        to: BreakoutStatus,
        endsAt: string | null,
        now: string,
      ): Promise<boolean> {
        return db.transaction().execute(async (tx) => {
          const r = await tx
            .updateTable('breakout_sessions')
            .set({ status: to, ends_at: endsAt, updated_at: now })
            .where('meeting_id', '=', meetingId)
            .where('status', 'in', [...from])
            .executeTakeFirst();
          if (r.numUpdatedRows === 0n) return false;
          if (to === 'closed') await tx.deleteFrom('breakout_help').where('meeting_id', '=', meetingId).execute();
          return true;
        });
      },

      /** The room the user is in while the rooms are open; undefined otherwise. */
      async openRoomOf(meetingId: string, userId: string): Promise<string | undefined> {
        const r = await db
          .selectFrom('breakout_assignments')
          .innerJoin('breakout_sessions', 'breakout_sessions.meeting_id', 'breakout_assignments.meeting_id')
          .select('breakout_assignments.room_id')
          .where('breakout_assignments.meeting_id', '=', meetingId)
          .where('breakout_assignments.user_id', '=', userId)
          .where('breakout_sessions.status', '=', 'open')
          .executeTakeFirst();
        return r?.room_id;
      },

      async addHelp(meetingId: string, help: Omit<HelpRequest, 'name'>): Promise<void> {
        await db
          .insertInto('breakout_help')
          .values({
            id: help.id,
            meeting_id: meetingId,
            room_id: help.roomId,
            user_id: help.userId,
            created_at: help.createdAt,
          })
          .execute();
      },
    },

    hands: {
      async list(meetingId: string): Promise<RaisedHand[]> {
        const rows = await db
          .selectFrom('raised_hands')
          .innerJoin('users', 'users.id', 'raised_hands.user_id')
          .select(['raised_hands.user_id', 'raised_hands.raised_at', 'users.name'])
          .where('raised_hands.meeting_id', '=', meetingId)
          .orderBy('raised_hands.raised_at')
          .orderBy('raised_hands.id')
          .execute();
        return rows.map((r) => ({ userId: r.user_id, name: r.name, raisedAt: r.raised_at }));
      },

      /** A hand already up keeps its place. */
      async raise(meetingId: string, userId: string, now: string): Promise<void> {
        await db
          .insertInto('raised_hands')
          .values({ meeting_id: meetingId, user_id: userId, raised_at: now })
          .onConflict((oc) => oc.columns(['meeting_id', 'user_id']).doNothing())
          .execute();
      },

      async lower(meetingId: string, userId: string): Promise<void> {
        await db.deleteFrom('raised_hands').where('meeting_id', '=', meetingId).where('user_id', '=', userId).execute();
      },

      async lowerAll(meetingId: string): Promise<void> {
        await db.deleteFrom('raised_hands').where('meeting_id', '=', meetingId).execute();
      },
    },

    polls: {
      async insert(p: NewPoll): Promise<void> {
        await db
          .insertInto('polls')
          .values({
            id: p.id,
            organisation_id: p.organisationId,
            meeting_id: p.meetingId,
            question: p.question,
            options: JSON.stringify(p.options),
            multiple: p.multiple ? 1 : 0,
            anonymous: p.anonymous ? 1 : 0,
            status: p.status,
            created_by: p.createdBy,
            created_at: p.createdAt,
            closed_at: null,
          })
          .execute();
      },

      async list(organisationId: string, meetingId: string): Promise<Poll[]> {
        const rows = await db
          .selectFrom('polls')
          .selectAll()
          .where('organisation_id', '=', organisationId)
          .where('meeting_id', '=', meetingId)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        return pollResults(rows);
      },

      async get(organisationId: string, meetingId: string, pollId: string): Promise<Poll | undefined> {
        const rows = await db
          .selectFrom('polls')
          .selectAll()
          .where('organisation_id', '=', organisationId)
          .where('meeting_id', '=', meetingId)
          .where('id', '=', pollId)
          .execute();
        return (await pollResults(rows))[0];
      },

      /** False when the poll was not in `from` (already opened or closed by someone else). */
      async transition(pollId: string, from: PollStatus, to: PollStatus, now: string): Promise<boolean> {
        const r = await db
          .updateTable('polls')
          .set({ status: to, ...(to === 'closed' ? { closed_at: now } : {}) })
          .where('id', '=', pollId)
          .where('status', '=', from)
          .executeTakeFirst();
        return r.numUpdatedRows > 0n;
      },

      /**
       * Records one person's ballot at most once, and only while the poll is open, both checked
       * in the same transaction as the write. An anonymous ballot's choices name no voter.
       */
      async vote(pollId: string, userId: string, options: readonly number[]): Promise<VoteOutcome> {
        return db.transaction().execute(async (tx) => {
          const poll = await tx
            .selectFrom('polls')
            .select(['status', 'anonymous'])
            .where('id', '=', pollId)
            .executeTakeFirstOrThrow();
          if (poll.status !== 'open') return 'not_open';
          const inserted = await tx
            .insertInto('poll_voters')
            .values({ poll_id: pollId, user_id: userId })
            .onConflict((oc) => oc.columns(['poll_id', 'user_id']).doNothing())
            .executeTakeFirst();
          if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) return 'already_voted';
          const voter = poll.anonymous === 1 ? null : userId;
          await tx
            .insertInto('poll_choices')
            .values(options.map((option_index) => ({ poll_id: pollId, option_index, voter_id: voter })))
            .execute();
          return 'voted';
        });
      },
    },

    questions: {
      async insert(q: NewQuestion): Promise<void> {
        await db
          .insertInto('questions')
          .values({
            id: q.id,
            organisation_id: q.organisationId,
            meeting_id: q.meetingId,
            author_id: q.authorId,
            text: q.text,
            answered: 0,
            answer: null,
            answered_at: null,
            created_at: q.createdAt,
            moderation: q.moderation,
            answer_private: 0,
          })
          .execute();
      },

      /** Most votes first, then oldest first (id breaks ties of the same instant). */
      async list(organisationId: string, meetingId: string): Promise<Question[]> {
        const rows = await questionRows(organisationId, meetingId)
          .orderBy('votes', 'desc')
          .orderBy('questions.created_at')
          .orderBy('questions.id')
          .execute();
        return toQuestions(rows);
      },

      async get(organisationId: string, meetingId: string, questionId: string): Promise<Question | undefined> {
        const rows = await questionRows(organisationId, meetingId).where('questions.id', '=', questionId).execute();
        return (await toQuestions(rows))[0];
      },

      /** Sets or clears one person's upvote; repeating either changes nothing. */
      async vote(questionId: string, userId: string, up: boolean, now: string): Promise<void> {
        if (up) {
          await db
            .insertInto('question_votes')
            .values({ question_id: questionId, user_id: userId, voted_at: now })
            .onConflict((oc) => oc.columns(['question_id', 'user_id']).doNothing())
            .execute();
          return;
        }
        await db
          .deleteFrom('question_votes')
          .where('question_id', '=', questionId)
          .where('user_id', '=', userId)
          .execute();
      },

      /**
       * An answer marks the question answered (published, or for its author only); marking it
       * open again keeps the answer text.
       */
      async mark(
        questionId: string,
        answered: boolean,
        answer: { readonly text: string; readonly private: boolean } | undefined,
        now: string,
      ): Promise<void> {
        await db
          .updateTable('questions')
          .set({
            answered: answered ? 1 : 0,
            answered_at: answered ? now : null,
            ...(answer === undefined ? {} : { answer: answer.text, answer_private: answer.private ? 1 : 0 }),
          })
          .where('id', '=', questionId)
          .execute();
      },

      async moderate(questionId: string, moderation: QuestionModeration): Promise<void> {
        await db.updateTable('questions').set({ moderation }).where('id', '=', questionId).execute();
      },
    },
  };
}

export type CollabStore = ReturnType<typeof collabStore>;
