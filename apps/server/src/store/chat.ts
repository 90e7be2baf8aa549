import type { ChatEvent, ChatFileRef, Conversation, MessageReaction } from '@tandem/shared';
import {
  CompiledQuery,
  sql,
  type ExpressionBuilder,
  type Insertable,
  type QueryCreator,
  type QueryResult,
  type SqlBool,
} from 'kysely';
import { compiledOnce } from './compiledOnce.ts';
import { containsWords, conversationLocks, isPostgres, jsonMatches, rowLocks } from './dialect.ts';
import { groupCommit, type Settled } from './groupCommit.ts';
import { heldSqlite, type Db } from './db.ts';
import type { Database } from './schema.ts';

/** What a conversation row holds beyond the shared record: a direct chat's pair. */
export type ConversationOrigin = { readonly directKey?: string | null };

export const conversationRow = (
  c: Conversation,
  origin: ConversationOrigin = {},
): Insertable<Database['conversations']> => ({
  id: c.id,
  organisation_id: c.organisationId,
  kind: c.kind,
  meeting_id: c.meetingId,
  name: c.name,
  latest_seq: c.latestSeq,
  created_at: c.createdAt,
  private: c.private ? 1 : 0,
  archived_at: c.archivedAt,
  created_by: c.createdBy,
  direct_key: origin.directKey ?? null,
});

/** What a search may be narrowed to (all optional): in one conversation, by one author, with files, a time range. */
export type SearchFilters = {
  readonly conversationId?: string | undefined;
  readonly from?: string | undefined;
  readonly hasFile?: boolean | undefined;
  readonly after?: string | undefined;
  readonly before?: string | undefined;
};

/** `memberIds`: a private conversation's members, oldest first (ignored for the others). */
export const toConversation = (
  r: Pick<
    Database['conversations'],
    | 'id'
    | 'organisation_id'
    | 'kind'
    | 'meeting_id'
    | 'name'
    | 'latest_seq'
    | 'created_at'
    | 'archived_at'
    | 'created_by'
  > & { private: number },
  memberIds: readonly string[],
): Conversation => ({
  id: r.id,
  organisationId: r.organisation_id,
  kind: r.kind as Conversation['kind'],
  meetingId: r.meeting_id,
  name: r.name,
  private: r.private === 1,
  archivedAt: r.archived_at,
  memberIds: r.private === 1 ? [...memberIds] : null,
  createdBy: r.created_by,
  latestSeq: r.latest_seq,
  createdAt: r.created_at,
});

/** Roles that make a row a membership of a private conversation. */
export const MEMBER_ROLES = ['owner', 'member'] as const;

/** The members of each private conversation named, oldest first. */
export async function memberIdsOf(db: Db, conversationIds: readonly string[]): Promise<Map<string, string[]>> {
  const byConversation = new Map<string, string[]>();
  if (conversationIds.length === 0) return byConversation;
  const rows = await db
    .selectFrom('conversation_members')
    .select(['conversation_id', 'user_id'])
    .where('conversation_id', 'in', conversationIds)
    .where('role', 'in', MEMBER_ROLES)
    .orderBy('joined_at')
    .orderBy('user_id')
    .execute();
  for (const r of rows) {
    const ids = byConversation.get(r.conversation_id) ?? [];
    ids.push(r.user_id);
    byConversation.set(r.conversation_id, ids);
  }
  return byConversation;
}

function toEvent(r: Database['chat_events']): ChatEvent {
  const base = {
    conversationId: r.conversation_id,
    seq: r.seq,
    clientId: r.client_id,
    messageId: r.message_id,
    authorId: r.author_id,
    createdAt: r.created_at,
  };
  const type = r.type as ChatEvent['type'];
  switch (type) {
    case 'message':
      return {
        ...base,
        type,
        body: r.body ?? '',
        ...(r.thread_of === null ? {} : { threadOf: r.thread_of }),
        ...(r.files === null ? {} : { files: JSON.parse(r.files) as ChatFileRef[] }),
        ...(r.urgent === 1 ? { urgent: true as const } : {}),
      };
    case 'edit':
      return { ...base, type, body: r.body ?? '' };
    case 'delete':
      return { ...base, type };
    case 'react':
    case 'unreact':
      return { ...base, type, emoji: r.emoji as MessageReaction };
    default: {
      const never: never = type;
      throw new Error(`unknown chat event type ${String(never)}`);
    }
  }
}

export type NewChatEvent = {
  readonly conversationId: string;
  readonly clientId: string;
  readonly messageId: string;
  readonly authorId: string;
  readonly type: ChatEvent['type'];
  readonly body: string | null;
  readonly createdAt: string;
  /** A reply's thread root (a `message` event only). */
  readonly threadOf?: string | undefined;
  /** A `react` or `unreact` event's emoji. */
  readonly emoji?: MessageReaction | undefined;
  /** A `message` event's files: attached to it in the append's transaction (see `FileAttachError`). */
  readonly files?: readonly ChatFileRef[] | undefined;
  /** A `message` event marked urgent by its author. */
  readonly urgent?: boolean | undefined;
};

/**
 * A file of the message is not the author's unattached upload in this conversation any more
 * (attached meanwhile by a racing request): found inside the append's transaction.
 */
export class FileAttachError extends Error {
  constructor() {
    super('a file is attached to another message already');
  }
}

/**
 * The author may not write in the conversation any more: found inside the append's transaction,
 * after the service's check from what it last knew (see `standing` in `chatStore`). Removed from a
 * private conversation, a guest whose admission ended, the conversation archived, or its meeting's
 * chat turned off or end-to-end encrypted, committed between the check and the append.
 */
export class StandingError extends Error {
  constructor() {
    super('the author may not write in this conversation any more');
  }
}

/**
 * A `react` for a reaction the author already gave, or an `unreact` for one they did not: found
 * inside the append's transaction, so two racing requests cannot both pass.
 */
export class ReactionStateError extends Error {
  constructor(readonly given: boolean) {
    super(given ? 'already reacted with this emoji' : 'no reaction with this emoji to take back');
  }
}

/**
 * `offset`: the event's place in its organisation's change stream. A new event's `rosterVersion`
 * is the conversation's `roster_version` it was written under (045_roster_version): delivery
 * judges its recipients by a roster at least that new (see conversationAccess.ts).
 */
export type AppendOutcome =
  | { readonly event: ChatEvent; readonly offset: number; readonly created: false }
  | { readonly event: ChatEvent; readonly offset: number; readonly created: true; readonly rosterVersion: number };

/** What `target` finds of a message an event is about. */
export type Target = {
  readonly resend: boolean;
  readonly message: ChatEvent | undefined;
  readonly deleted: boolean;
};

/** A chat event at its place in the organisation's change stream. */
export type ChangeRow = { readonly event: ChatEvent; readonly offset: number };

/** At most this many appends share one transaction. */
const MAX_GROUP = 64;
/** Organisations whose newest offsets one query reads (`latestOffsets`). */
const OFFSETS_PAGE = 500;

/**
 * An append's statements as steps: each `yield` hands a compiled statement to whoever runs them
 * (`transact`) and gets its result back, so one description of the writes runs synchronously on
 * SQLite and through Kysely's transaction on PostgreSQL.
 */
type Steps<R> = Generator<CompiledQuery, R, QueryResult<unknown>>;

const BEGIN = CompiledQuery.raw('begin');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

const settle = <O>(work: Promise<O>): Promise<Settled<O>> =>
  work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

/** Whether the message event `m` of a query was deleted: a `delete` event of its message exists. */
function deleted(eb: ExpressionBuilder<Database & { m: Database['chat_events'] }, 'm'>) {
  return eb.exists(
    eb
      .selectFrom('chat_events as d')
      .select('d.seq')
      .whereRef('d.conversation_id', '=', 'm.conversation_id')
      .whereRef('d.message_id', '=', 'm.message_id')
      .where('d.type', '=', 'delete'),
  );
}

export function chatStore(db: Db) {
  // The statements of every append, compiled once (see compiledOnce.ts).
  const existingEvent = compiledOnce((v: { conversationId: string; clientId: string }) =>
    db
      .selectFrom('chat_events')
      .selectAll()
      .where('conversation_id', '=', v.conversationId)
      .where('client_id', '=', v.clientId),
  );
  /**
   * Read through the partial index `chat_events_reactions` (048_reaction_lookup): this author's
   * reactions with the emoji on the message alone. Only reactions carry an emoji (`appendIn`), so
   * the emoji alone picks them (a filter on `type` cost SQLite more than the read). The limit is
   * written into the SQL: SQLite (3.53, as better-sqlite3 builds it) ran this statement three
   * times slower with its LIMIT a bound parameter, as Kysely's `limit(1)` makes it (B2).
   */
  const latestReaction = compiledOnce(
    (v: { conversationId: string; messageId: string; authorId: string; emoji: string | null }) =>
      db
        .selectFrom('chat_events')
        .select('type')
        .where('conversation_id', '=', v.conversationId)
        .where('message_id', '=', v.messageId)
        .where('author_id', '=', v.authorId)
        .where('emoji', '=', v.emoji)
        .orderBy('seq', 'desc')
        .limit(sql.lit(1)),
  );
  /**
   * The next seq, taken only while the author may still write in the conversation: the standing
   * the service checked from what it last knew (`writable`), judged again in the same statement,
   * so an append and a change of standing never interleave. Not archived; a private conversation's
   * member; a meeting's chat on and not end-to-end encrypted; a guest only where admitted. Changes
   * of membership and archiving update this conversation's row, which the append holds locked
   * (PostgreSQL; SQLite has one writer); a guest's lobby entry and the meeting's settings are other
   * rows, locked `FOR SHARE` until the append commits, so a concurrent removal or settings change
   * either commits first (and is seen here) or waits for the append. No row: `StandingError`.
   */
  const pg = isPostgres(db);
  const bumpSeq = (qb: QueryCreator<Database>, v: { conversationId: string; authorId: string }) =>
    qb
      .updateTable('conversations')
      .set((eb) => ({ latest_seq: eb('latest_seq', '+', 1) }))
      .where('id', '=', v.conversationId)
      .where('archived_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('private', '=', 0),
          eb.exists(
            eb
              .selectFrom('conversation_members as cm')
              .select('cm.user_id')
              .whereRef('cm.conversation_id', '=', 'conversations.id')
              .where('cm.user_id', '=', v.authorId)
              .where('cm.role', 'in', MEMBER_ROLES),
          ),
        ]),
      )
      .where((eb) =>
        eb.or([
          eb('meeting_id', 'is', null),
          eb.exists(
            eb
              .selectFrom('meetings as mt')
              .select('mt.id')
              .whereRef('mt.id', '=', 'conversations.meeting_id')
              .where(jsonMatches(db, sql.ref('mt.settings'), { chat: true, e2ee: false }))
              .$if(pg, (q) => q.forShare()),
          ),
        ]),
      )
      // A guest writes only into the chat of a meeting that admitted them (guests.ts); a role
      // change ends the person's sessions instead (auth), so the role is not locked.
      .where((eb) =>
        eb.or([
          eb.not(
            eb.exists(
              eb.selectFrom('users as u').select('u.id').where('u.id', '=', v.authorId).where('u.role', '=', 'guest'),
            ),
          ),
          eb.exists(
            eb
              .selectFrom('lobby_entries as le')
              .select('le.id')
              .whereRef('le.meeting_id', '=', 'conversations.meeting_id')
              .where('le.user_id', '=', v.authorId)
              .where('le.status', '=', 'admitted')
              .$if(pg, (q) => q.forShare()),
          ),
        ]),
      )
      .returning(['latest_seq', 'organisation_id', 'roster_version']);
  const nextSeq = compiledOnce((v: { conversationId: string; authorId: string }) => bumpSeq(db, v));
  const nextOffset = compiledOnce((v: { organisationId: string }) =>
    db
      .updateTable('organisations')
      .set((eb) => ({ latest_offset: eb('latest_offset', '+', 1) }))
      .where('id', '=', v.organisationId)
      .returning('latest_offset'),
  );
  const insertEvent = compiledOnce((row: Database['chat_events']) => db.insertInto('chat_events').values(row));
  /**
   * PostgreSQL: `nextSeq`, `nextOffset` and `insertEvent` as one statement (data-modifying CTEs,
   * which PostgreSQL runs to completion whether or not the final SELECT reads them), so an event
   * without files is one round trip after its lookups instead of three (docs/deploy, capacity
   * model). No row when the standing check refuses: nothing is bumped or written then.
   */
  const appendAtOnce = compiledOnce((v: Omit<Database['chat_events'], 'seq' | 'organisation_id' | 'org_offset'>) =>
    db
      .with('s', (qb) => bumpSeq(qb, { conversationId: v.conversation_id, authorId: v.author_id }))
      .with('o', (qb) =>
        qb
          .updateTable('organisations')
          .set((eb) => ({ latest_offset: eb('latest_offset', '+', 1) }))
          .from('s')
          .whereRef('organisations.id', '=', 's.organisation_id')
          .returning('organisations.latest_offset'),
      )
      .with('i', (qb) =>
        qb
          .insertInto('chat_events')
          .columns([
            'conversation_id',
            'seq',
            'client_id',
            'message_id',
            'author_id',
            'type',
            'body',
            'created_at',
            'organisation_id',
            'org_offset',
            'thread_of',
            'emoji',
            'files',
            'urgent',
          ])
          .expression((eb) =>
            eb
              .selectFrom(['s', 'o'])
              .select([
                eb.val(v.conversation_id).as('conversation_id'),
                's.latest_seq',
                eb.val(v.client_id).as('client_id'),
                eb.val(v.message_id).as('message_id'),
                eb.val(v.author_id).as('author_id'),
                eb.val(v.type).as('type'),
                eb.val(v.body).as('body'),
                eb.val(v.created_at).as('created_at'),
                's.organisation_id',
                'o.latest_offset',
                eb.val(v.thread_of).as('thread_of'),
                eb.val(v.emoji).as('emoji'),
                eb.val(v.files).as('files'),
                sql<number>`cast(${v.urgent} as integer)`.as('urgent'),
              ]),
          )
          .returning('chat_events.seq'),
      )
      .selectFrom(['s', 'o'])
      .select(['s.latest_seq', 's.organisation_id', 's.roster_version', 'o.latest_offset']),
  );

  /** A statement's rows, from whoever runs the steps (`transact`). */
  function* rowsOf<R>(query: CompiledQuery<R>): Steps<R[]> {
    return (yield query).rows as R[];
  }

  /** The one row a statement answers; a missing one is a broken invariant (the organisation exists). */
  function* oneRow<R>(query: CompiledQuery<R>): Steps<R> {
    const [row] = yield* rowsOf(query);
    if (row === undefined) throw new Error('a chat append found no row to update');
    return row;
  }

  /**
   * Runs `steps` in one transaction: on SQLite synchronously on its held connection (one turn of
   * the event loop, none of Kysely's promises a statement), on PostgreSQL through Kysely's
   * transaction, a round trip a statement. Whatever the steps throw rolls it back.
   */
  const sqlite = heldSqlite(db);
  function transact<R>(steps: () => Steps<R>): Promise<R> {
    if (sqlite !== undefined) {
      return sqlite.hold((execute) => {
        execute(BEGIN);
        try {
          const it = steps();
          let step = it.next();
          while (!step.done) step = it.next(execute(step.value));
          execute(COMMIT);
          return step.value;
        } catch (error) {
          try {
            execute(ROLLBACK);
          } catch {
            // SQLite ended the transaction itself (an I/O error, a full disk): nothing to roll back.
          }
          throw error;
        }
      });
    }
    return db.transaction().execute(async (tx) => {
      const it = steps();
      let step = it.next();
      while (!step.done) step = it.next(await tx.executeQuery(step.value));
      return step.value;
    });
  }

  /**
   * The steps that write one event, in a transaction whose steps locked the conversation's row
   * already. Refusals (`ReactionStateError`, `StandingError`) are thrown before anything is
   * written; anything thrown after (`FileAttachError`, a database error) leaves the transaction to
   * be rolled back.
   */
  function* appendSteps(e: NewChatEvent): Steps<AppendOutcome> {
    const { conversationId, clientId } = e;
    const [existing] = yield* rowsOf(existingEvent({ conversationId, clientId }));
    if (existing !== undefined) return { event: toEvent(existing), offset: existing.org_offset, created: false };
    if (e.type === 'react' || e.type === 'unreact') {
      const query = latestReaction({
        conversationId,
        messageId: e.messageId,
        authorId: e.authorId,
        emoji: e.emoji ?? null,
      });
      const [latest] = yield* rowsOf(query);
      const given = latest?.type === 'react';
      if (given === (e.type === 'react')) throw new ReactionStateError(given);
    }
    const files = e.files ?? [];
    const fields = {
      conversation_id: conversationId,
      client_id: clientId,
      message_id: e.messageId,
      author_id: e.authorId,
      type: e.type,
      body: e.body,
      created_at: e.createdAt,
      thread_of: e.threadOf ?? null,
      emoji: e.type === 'react' || e.type === 'unreact' ? (e.emoji ?? null) : null,
      files: files.length === 0 ? null : JSON.stringify(files),
      urgent: e.urgent === true ? 1 : 0,
    };
    if (pg && files.length === 0) {
      const [done] = yield* rowsOf(appendAtOnce(fields));
      if (done === undefined) throw new StandingError();
      const { latest_seq: seq, organisation_id: organisationId, latest_offset: offset } = done;
      const row = { ...fields, seq, organisation_id: organisationId, org_offset: offset };
      return { event: toEvent(row), offset, created: true, rosterVersion: done.roster_version };
    }
    const [bumped] = yield* rowsOf(nextSeq({ conversationId, authorId: e.authorId }));
    if (bumped === undefined) throw new StandingError();
    const { latest_seq: seq, organisation_id: organisationId, roster_version: rosterVersion } = bumped;
    if (files.length > 0) {
      const attached = yield db
        .updateTable('chat_files')
        .set({ message_id: e.messageId })
        .where('conversation_id', '=', conversationId)
        .where('uploaded_by', '=', e.authorId)
        .where('message_id', 'is', null)
        .where(
          'id',
          'in',
          files.map((f) => f.id),
        )
        .compile();
      if (Number(attached.numAffectedRows) !== files.length) throw new FileAttachError();
    }
    const { latest_offset: offset } = yield* oneRow(nextOffset({ organisationId }));
    const row: Database['chat_events'] = { ...fields, seq, organisation_id: organisationId, org_offset: offset };
    yield insertEvent(row);
    return { event: toEvent(row), offset, created: true, rosterVersion };
  }

  /** One event in its own transaction. */
  function appendAlone(e: NewChatEvent): Promise<AppendOutcome> {
    return transact(function* () {
      // Appends to one conversation queue here, before the clientId is looked up.
      for (const lock of rowLocks(db, 'conversations', [e.conversationId])) yield lock;
      return yield* appendSteps(e);
    });
  }

  /**
   * Appends several events in one transaction, each as `append` would alone (its own seq and
   * offset, a resend answered with the stored event, a refused reaction or standing refused), in order, with
   * every conversation's row and its organisation's locked first (`conversationLocks`). If
   * anything fails beyond a refusal, nothing of the group is kept and each event is appended again
   * on its own, to get its own outcome.
   */
  async function appendAll(events: readonly NewChatEvent[]): Promise<Settled<AppendOutcome>[]> {
    if (events.length === 1 && events[0] !== undefined) return [await settle(appendAlone(events[0]))];
    try {
      return await transact(function* () {
        for (const lock of conversationLocks(db, [...new Set(events.map((e) => e.conversationId))])) yield lock;
        const outcomes: Settled<AppendOutcome>[] = [];
        for (const e of events) {
          try {
            outcomes.push({ ok: true, value: yield* appendSteps(e) });
          } catch (error) {
            if (!(error instanceof ReactionStateError || error instanceof StandingError)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
        return outcomes;
      });
    } catch {
      const outcomes: Settled<AppendOutcome>[] = [];
      for (const e of events) outcomes.push(await settle(appendAlone(e)));
      return outcomes;
    }
  }

  async function byClientId(conversationId: string, clientId: string): Promise<ChatEvent | undefined> {
    const [r] = (await db.executeQuery(existingEvent({ conversationId, clientId }))).rows;
    return r === undefined ? undefined : toEvent(r);
  }

  /** See `target` below. */
  const targetOf = compiledOnce((v: { conversationId: string; messageId: string; clientId: string }) =>
    db
      .selectFrom('chat_events as m')
      .selectAll('m')
      .select((eb) => [
        eb
          .exists(
            eb
              .selectFrom('chat_events as r')
              .select('r.seq')
              .where('r.conversation_id', '=', v.conversationId)
              .where('r.client_id', '=', v.clientId),
          )
          .as('resend'),
        deleted(eb).as('deleted'),
      ])
      .where('m.conversation_id', '=', v.conversationId)
      .where('m.client_id', '=', v.messageId),
  );

  return {
    async get(organisationId: string, id: string): Promise<Conversation | undefined> {
      const r = await db
        .selectFrom('conversations')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (r === undefined) return undefined;
      const members = r.private === 1 ? await memberIdsOf(db, [r.id]) : new Map<string, string[]>();
      return toConversation(r, members.get(r.id) ?? []);
    },

    /** Channels whose name contains the words, by name; the caller judges each with the access rule. */
    async channelsNamed(organisationId: string, text: string, limit: number): Promise<Conversation[]> {
      const rows = await db
        .selectFrom('conversations')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('kind', '=', 'channel')
        .where(containsWords(db, sql.ref('name'), text))
        .orderBy('name')
        .limit(limit)
        .execute();
      const members = await memberIdsOf(
        db,
        rows.filter((r) => r.private === 1).map((r) => r.id),
      );
      return rows.map((r) => toConversation(r, members.get(r.id) ?? []));
    },

    byClientId,

    /**
     * What an event about message `messageId` needs to know of it, in one read where the message
     * exists: whether `clientId` was used in the conversation already (a resend), the message's
     * own event (any type: the caller checks it is a message), and whether it was deleted.
     */
    async target(conversationId: string, messageId: string, clientId: string): Promise<Target> {
      const [r] = (await db.executeQuery(targetOf({ conversationId, messageId, clientId }))).rows;
      if (r === undefined) {
        const resend = await byClientId(conversationId, clientId);
        return { resend: resend !== undefined, message: undefined, deleted: false };
      }
      const { resend, deleted, ...row } = r;
      // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean.
      return { resend: Boolean(resend), message: toEvent(row), deleted: Boolean(deleted) };
    },

    /** Whether the message has a delete event. */
    async isDeleted(conversationId: string, messageId: string): Promise<boolean> {
      const r = await db
        .selectFrom('chat_events')
        .select('seq')
        .where('conversation_id', '=', conversationId)
        .where('message_id', '=', messageId)
        .where('type', '=', 'delete')
        .executeTakeFirst();
      return r !== undefined;
    },

    /**
     * Appends one event with the next seq. The counter bump and the insert are one transaction,
     * and appends to a conversation run one at a time, so seqs are gap-free and in commit order; the
     * organisation's change offset is bumped in the same transaction, so offsets are too. A
     * clientId seen before answers the stored event instead of writing a second one. Appends asked
     * for together share one transaction (`appendAll`).
     */
    append: groupCommit(appendAll, MAX_GROUP),

    appendAll,

    /** Events with seq > since, ascending, at most `limit`. */
    async since(conversationId: string, since: number, limit: number): Promise<ChatEvent[]> {
      const rows = await db
        .selectFrom('chat_events')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('seq', '>', since)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },

    /**
     * Messages of the organisation whose current text (the newest edit's, else the message's own)
     * contains `text` without case, not deleted, newest first, before `beforeOffset` (a page's
     * cursor). Who may read them is the service's to judge.
     */
    async search(
      organisationId: string,
      text: string,
      options: SearchFilters & { beforeOffset: number; limit: number },
    ): Promise<{ event: Extract<ChatEvent, { type: 'message' }>; offset: number }[]> {
      const current = sql<string>`coalesce((SELECT e.body FROM chat_events e WHERE e.conversation_id = m.conversation_id
        AND e.message_id = m.message_id AND e.type = 'edit' ORDER BY e.seq DESC LIMIT 1), m.body)`;
      let query = db
        .selectFrom('chat_events as m')
        .selectAll('m')
        .select(current.as('current_body'))
        .where('m.organisation_id', '=', organisationId)
        .where('m.type', '=', 'message')
        .where('m.org_offset', '<', options.beforeOffset)
        .where(containsWords(db, current, text))
        .where((eb) => eb.not(deleted(eb)));
      // PostgreSQL starts from the messages whose own text or an edit's contains the words, found
      // through the body's trigram index (049_search_index), instead of testing every message of
      // the organisation newest first; the current text is checked above all the same.
      if (pg)
        query = query.where(
          sql<SqlBool>`(m.conversation_id, m.message_id) IN (SELECT e.conversation_id, e.message_id
            FROM chat_events e WHERE e.organisation_id = ${organisationId} AND e.type IN ('message', 'edit')
            AND ${containsWords(db, sql.ref('e.body'), text)})`,
        );
      if (options.conversationId !== undefined) query = query.where('m.conversation_id', '=', options.conversationId);
      if (options.from !== undefined) query = query.where('m.author_id', '=', options.from);
      if (options.hasFile !== undefined) query = query.where('m.files', options.hasFile ? 'is not' : 'is', null);
      if (options.after !== undefined) query = query.where('m.created_at', '>=', options.after);
      if (options.before !== undefined) query = query.where('m.created_at', '<', options.before);
      const rows = await query.orderBy('m.org_offset', 'desc').limit(options.limit).execute();
      return rows.map(({ current_body: body, ...r }) => {
        const event = toEvent(r);
        if (event.type !== 'message') throw new Error('a search found a non-message');
        return { event: { ...event, body }, offset: r.org_offset };
      });
    },

    /** The organisation's newest change offset (0 before its first chat event). */
    async latestOffset(organisationId: string): Promise<number> {
      const r = await db
        .selectFrom('organisations')
        .select('latest_offset')
        .where('id', '=', organisationId)
        .executeTakeFirst();
      return r?.latest_offset ?? 0;
    },

    /**
     * The newest offset of each organisation asked for (0 for one without events or unknown), in
     * one query per OFFSETS_PAGE organisations: a clustered instance asks for all it holds sockets
     * of every few seconds (cluster/fanout.ts), one query each grew with the organisations.
     */
    async latestOffsets(organisationIds: readonly string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>(organisationIds.map((id) => [id, 0]));
      for (let i = 0; i < organisationIds.length; i += OFFSETS_PAGE) {
        const rows = await db
          .selectFrom('organisations')
          .select(['id', 'latest_offset'])
          .where('id', 'in', organisationIds.slice(i, i + OFFSETS_PAGE))
          .execute();
        for (const r of rows) out.set(r.id, r.latest_offset);
      }
      return out;
    },

    /** The organisation's events with `after` < offset <= `upTo`, in offset order, at most `limit`. */
    async changes(organisationId: string, after: number, upTo: number, limit: number): Promise<ChangeRow[]> {
      const rows = await db
        .selectFrom('chat_events')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('org_offset', '>', after)
        .where('org_offset', '<=', upTo)
        .orderBy('org_offset')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ event: toEvent(r), offset: r.org_offset }));
    },
  };
}

export type ChatStore = ReturnType<typeof chatStore>;
