import type { Conversation, MemberRole } from '@tandem/shared';
import { sql, type Transaction } from 'kysely';
import { MEMBER_ROLES, conversationRow, memberIdsOf, toConversation, type ConversationOrigin } from './chat.ts';
import type { Db } from './db.ts';
import { inList } from './dialect.ts';
import type { Database } from './schema.ts';

/**
 * A person's row in a conversation. In a private conversation, `owner` or `member` is a
 * membership; `reader` (public channels, meeting chats) only keeps a read position and `leftAt`.
 */
export type MemberRow = {
  readonly userId: string;
  readonly role: MemberRole | 'reader';
  readonly joinedAt: string;
  readonly visibleFromSeq: number;
  readonly lastReadSeq: number | null;
  readonly leftAt: string | null;
};

/** A new membership: `visibleFromSeq` 0 gives the whole history; read up to `lastReadSeq`. */
export type NewMember = {
  readonly userId: string;
  readonly role: MemberRole;
  readonly visibleFromSeq: number;
  readonly lastReadSeq: number;
};

/** A conversation the caller may be able to read, with the caller's own row if any. */
export type Listed = { readonly conversation: Conversation; readonly row: MemberRow | undefined };

/**
 * A conversation's rows and the roster version they are at (045_roster_version): at least that
 * version, since the version is read first.
 */
export type Roster = { readonly version: number; readonly rows: readonly MemberRow[] };

/**
 * A change of who belongs to the conversation: it bumps the conversation's roster version, which
 * also locks its row (PostgreSQL) until the change commits. A chat append holds that row too
 * (store/chat.ts), so the two never interleave: an append either sees the change or commits
 * before it, and every event written after the change carries the new version.
 */
async function rosterChanges(tx: Transaction<Database>, conversationId: string): Promise<void> {
  await tx
    .updateTable('conversations')
    .set((eb) => ({ roster_version: eb('roster_version', '+', 1) }))
    .where('id', '=', conversationId)
    .execute();
}

/** Unread top-level messages by others above each read position, and how many mention `name`. */
export type UnreadCounts = ReadonlyMap<string, { readonly unread: number; readonly mentionBodies: readonly string[] }>;

const toRow = (r: Database['conversation_members']): MemberRow => ({
  userId: r.user_id,
  role: r.role as MemberRow['role'],
  joinedAt: r.joined_at,
  visibleFromSeq: r.visible_from_seq,
  lastReadSeq: r.last_read_seq,
  leftAt: r.left_at,
});

/** Private conversations, their members and everyone's read positions and left channels. */
export function conversationStore(db: Db) {
  /** Every row of the conversation: its members, and in a public one who read or left it. */
  async function rowsOf(conversationId: string): Promise<MemberRow[]> {
    const found = await db
      .selectFrom('conversation_members')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('joined_at')
      .orderBy('user_id')
      .execute();
    return found.map(toRow);
  }

  async function rosterVersion(conversationId: string): Promise<number> {
    const r = await db
      .selectFrom('conversations')
      .select('roster_version')
      .where('id', '=', conversationId)
      .executeTakeFirst();
    return r?.roster_version ?? 0;
  }

  return {
    /** A conversation and its first members (none for a public channel but its creator) together. */
    async insert(
      conversation: Conversation,
      origin: ConversationOrigin,
      members: readonly NewMember[],
      now: string,
    ): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('conversations').values(conversationRow(conversation, origin)).execute();
        if (members.length === 0) return;
        await tx
          .insertInto('conversation_members')
          .values(
            members.map((m) => ({
              conversation_id: conversation.id,
              user_id: m.userId,
              role: m.role,
              joined_at: now,
              visible_from_seq: m.visibleFromSeq,
              last_read_seq: m.lastReadSeq,
              left_at: null,
            })),
          )
          .execute();
      });
    },

    /** The id of a pair's direct chat (`directKey`), if it was ever started. */
    async direct(organisationId: string, directKey: string): Promise<string | undefined> {
      const r = await db
        .selectFrom('conversations')
        .select('id')
        .where('organisation_id', '=', organisationId)
        .where('direct_key', '=', directKey)
        .executeTakeFirst();
      return r?.id;
    },

    rows: rowsOf,

    /**
     * `rows` with the roster version they are at: the version is read first, so the rows are at
     * least as new as it says (a change in between only makes them newer, which a later version
     * read again corrects), never older.
     */
    async roster(conversationId: string): Promise<Roster> {
      return { version: await rosterVersion(conversationId), rows: await rowsOf(conversationId) };
    },

    /** The roster version as committed now: any change of membership committed before this read is at or below it. */
    rosterVersion,

    async row(conversationId: string, userId: string): Promise<MemberRow | undefined> {
      const r = await db
        .selectFrom('conversation_members')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r === undefined ? undefined : toRow(r);
    },

    /**
     * The organisation's conversations that are not private, and the private ones `userId` is a
     * member of, each with the person's row; the caller's rules filter further (guests, left,
     * archived). `ids`: only these (a page of the change stream).
     */
    async listFor(organisationId: string, userId: string, ids?: readonly string[]): Promise<Listed[]> {
      if (ids?.length === 0) return [];
      const rows = await db
        .selectFrom('conversations as c')
        .leftJoin('conversation_members as m', (join) =>
          join.onRef('m.conversation_id', '=', 'c.id').on('m.user_id', '=', userId),
        )
        .selectAll('c')
        .select([
          'm.user_id as m_user_id',
          'm.role as m_role',
          'm.joined_at as m_joined_at',
          'm.visible_from_seq as m_visible_from_seq',
          'm.last_read_seq as m_last_read_seq',
          'm.left_at as m_left_at',
        ])
        .where('c.organisation_id', '=', organisationId)
        .$if(ids !== undefined, (qb) => qb.where('c.id', 'in', ids ?? []))
        .where((eb) => eb.or([eb('c.private', '=', 0), eb('m.role', 'in', MEMBER_ROLES)]))
        .orderBy('c.created_at')
        .execute();
      const members = await memberIdsOf(
        db,
        rows.filter((r) => r.private === 1).map((r) => r.id),
      );
      return rows.map((r) => ({
        conversation: toConversation(r, members.get(r.id) ?? []),
        row:
          r.m_user_id === null
            ? undefined
            : toRow({
                conversation_id: r.id,
                user_id: r.m_user_id,
                role: r.m_role ?? 'reader',
                joined_at: r.m_joined_at ?? r.created_at,
                visible_from_seq: r.m_visible_from_seq ?? 0,
                last_read_seq: r.m_last_read_seq,
                left_at: r.m_left_at,
              }),
      }));
    },

    /**
     * Unread counts of `userId` in every conversation where they have a read position: top-level
     * messages by others above it (and above what they may see), not deleted. Bodies (as last
     * edited) come back only for those with an `@`, for the caller to judge mentions by.
     */
    async unread(userId: string, conversationIds: readonly string[]): Promise<UnreadCounts> {
      const counts = new Map<string, { unread: number; mentionBodies: string[] }>();
      if (conversationIds.length === 0) return counts;
      const rows = await sql<{ conversation_id: string; body: string | null; n: number }>`
        WITH unread AS (
          SELECT e.conversation_id, e.message_id, e.body
          FROM conversation_members m
          JOIN chat_events e ON e.conversation_id = m.conversation_id
            AND e.seq > m.last_read_seq AND e.seq > m.visible_from_seq
          WHERE m.user_id = ${userId} AND m.last_read_seq IS NOT NULL
            AND ${inList(db, sql.ref('m.conversation_id'), conversationIds)}
            AND e.type = 'message' AND e.thread_of IS NULL AND e.author_id <> ${userId}
            AND NOT EXISTS (SELECT 1 FROM chat_events d WHERE d.conversation_id = e.conversation_id
              AND d.message_id = e.message_id AND d.type = 'delete')
        ),
        latest AS (
          SELECT u.conversation_id, coalesce((SELECT x.body FROM chat_events x WHERE x.conversation_id = u.conversation_id
            AND x.message_id = u.message_id AND x.type = 'edit' ORDER BY x.seq DESC LIMIT 1), u.body) AS body
          FROM unread u
        )
        SELECT conversation_id, NULL AS body, count(*) AS n FROM latest GROUP BY conversation_id
        UNION ALL
        SELECT conversation_id, body, 0 AS n FROM latest WHERE body LIKE '%@%'
      `.execute(db);
      for (const r of rows.rows) {
        const entry = counts.get(r.conversation_id) ?? { unread: 0, mentionBodies: [] };
        if (r.body === null) entry.unread = r.n;
        else entry.mentionBodies.push(r.body);
        counts.set(r.conversation_id, entry);
      }
      return counts;
    },

    /**
     * New members (none of them a member already), in one transaction with reading where the
     * conversation stands: without `history` they see from the newest seq on. Either way what is
     * there is not news to them (read up to it). Answers the seq they see from.
     */
    async addMembers(
      conversationId: string,
      userIds: readonly string[],
      history: boolean,
      now: string,
    ): Promise<number> {
      return db.transaction().execute(async (tx) => {
        // The row locked first: the newest seq cannot move until the members are in.
        await rosterChanges(tx, conversationId);
        const { latest_seq: latest } = await tx
          .selectFrom('conversations')
          .select('latest_seq')
          .where('id', '=', conversationId)
          .executeTakeFirstOrThrow();
        const visibleFrom = history ? 0 : latest;
        await tx
          .insertInto('conversation_members')
          .values(
            userIds.map((userId) => ({
              conversation_id: conversationId,
              user_id: userId,
              role: 'member',
              joined_at: now,
              visible_from_seq: visibleFrom,
              last_read_seq: latest,
              left_at: null,
            })),
          )
          // A read position kept from a stray earlier row gives way to the membership.
          .onConflict((oc) =>
            oc.columns(['conversation_id', 'user_id']).doUpdateSet({
              role: 'member',
              joined_at: now,
              visible_from_seq: visibleFrom,
              last_read_seq: latest,
              left_at: null,
            }),
          )
          .execute();
        return visibleFrom;
      });
    },

    /** Ends a membership. Answers whether there was one. */
    async removeMember(conversationId: string, userId: string): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        await rosterChanges(tx, conversationId);
        const r = await tx
          .deleteFrom('conversation_members')
          .where('conversation_id', '=', conversationId)
          .where('user_id', '=', userId)
          .where('role', 'in', MEMBER_ROLES)
          .executeTakeFirst();
        return r.numDeletedRows > 0n;
      });
    },

    async setRole(conversationId: string, userId: string, role: MemberRole): Promise<void> {
      await db
        .updateTable('conversation_members')
        .set({ role })
        .where('conversation_id', '=', conversationId)
        .where('user_id', '=', userId)
        .execute();
    },

    async update(conversationId: string, patch: { name?: string; archivedAt?: string | null }): Promise<void> {
      await db
        .updateTable('conversations')
        .set({
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.archivedAt === undefined ? {} : { archived_at: patch.archivedAt }),
        })
        .where('id', '=', conversationId)
        .execute();
    },

    /**
     * Moves `userId`'s read position up to `seq` (never down, never past the newest event); a
     * public conversation gets the person's `reader` row on first use. Answers the position, and
     * whether it moved.
     */
    async markRead(
      conversationId: string,
      userId: string,
      seq: number,
      now: string,
    ): Promise<{ seq: number; moved: boolean }> {
      return db.transaction().execute(async (tx) => {
        const { latest_seq: latest } = await tx
          .selectFrom('conversations')
          .select('latest_seq')
          .where('id', '=', conversationId)
          .executeTakeFirstOrThrow();
        const target = Math.min(seq, latest);
        const before = await tx
          .selectFrom('conversation_members')
          .select('last_read_seq')
          .where('conversation_id', '=', conversationId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        if (before === undefined) {
          await tx
            .insertInto('conversation_members')
            .values(readerRow(conversationId, userId, now, { lastReadSeq: target, leftAt: null }))
            .execute();
          return { seq: target, moved: true };
        }
        const current = before.last_read_seq;
        if (current !== null && current >= target) return { seq: current, moved: false };
        await tx
          .updateTable('conversation_members')
          .set({ last_read_seq: target })
          .where('conversation_id', '=', conversationId)
          .where('user_id', '=', userId)
          .execute();
        return { seq: target, moved: true };
      });
    },

    /** Leaves (a time) or rejoins (null) a public channel: the person's `reader` row remembers it. */
    async setLeft(conversationId: string, userId: string, leftAt: string | null, now: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await rosterChanges(tx, conversationId);
        await tx
          .insertInto('conversation_members')
          .values(readerRow(conversationId, userId, now, { lastReadSeq: null, leftAt }))
          .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ left_at: leftAt }))
          .execute();
      });
    },
  };
}

export type ConversationStore = ReturnType<typeof conversationStore>;

/**
 * A public channel's `reader` row: someone who is not a member but has read it (how far) or left
 * it (when), seeing all of its history.
 */
function readerRow(
  conversationId: string,
  userId: string,
  now: string,
  { lastReadSeq, leftAt }: { readonly lastReadSeq: number | null; readonly leftAt: string | null },
) {
  return {
    conversation_id: conversationId,
    user_id: userId,
    role: 'reader' as const,
    joined_at: now,
    visible_from_seq: 0,
    last_read_seq: lastReadSeq,
    left_at: leftAt,
  };
}
