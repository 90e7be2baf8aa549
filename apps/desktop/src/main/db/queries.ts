import type { Database, Statement } from 'better-sqlite3';
import {
  ConversationKindSchema,
  ErrorCodeSchema,
  MeetingSchema,
  MemberRoleSchema,
  SNIPPET_MARK,
  searchWords,
  mentions,
  type ChatEvent,
  type ChatFileRef,
  type ChatMessageView,
  type Conversation,
  type ConversationSummary,
  type ConversationSelf,
  type ConversationView,
  type CreateDecisionRequest,
  type Decision,
  type DecisionView,
  type E2eeChatEntry,
  type Meeting,
  type MessageReaction,
  type PersonRef,
  type ReadReceiptView,
  type SearchHit,
  type SendFailure,
  type TranscriptSearchFilter,
  type TranscriptSearchHit,
  type TranscriptSegment,
  type UpdateDecisionRequest,
} from '@tandem/shared';

/**
 * The cache's whole typed interface. Every function takes the database first and one
 * structured-clonable argument, because the worker calls them by name with what main posted.
 * Reads run as they are; writes run inside one transaction each.
 */

/** Statements compiled once per connection: sync applies hundreds of events per page. */
const statements = new WeakMap<Database, Map<string, Statement>>();
function prepared(db: Database, sql: string): Statement {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

/** The newest row's local id: every row inserted after this call has a greater one. */
function maxLocalId(db: Database): number {
  return (prepared(db, 'SELECT max(local_id) AS id FROM messages').get() as { id: number | null }).id ?? 0;
}

/**
 * New messages enter the search index by one statement for all rows inserted since the last
 * flush, not by a trigger per row (cache migration 008; a third of the cost, BENCHMARKS.md B4).
 * Flush before a body changes or a row goes: the index's own delete needs the text it indexed.
 */
function messageIndexer(db: Database): { inserted(): void; flush(): void } {
  let indexedUpTo = maxLocalId(db);
  let pending = false;
  return {
    inserted() {
      pending = true;
    },
    flush() {
      if (!pending) return;
      prepared(db, 'INSERT INTO messages_fts (rowid, body) SELECT local_id, body FROM messages WHERE local_id > ?').run(
        indexedUpTo,
      );
      indexedUpTo = maxLocalId(db);
      pending = false;
    },
  };
}

type MessageRow = {
  client_id: string;
  conversation_id: string;
  seq: number | null;
  author_id: string;
  author_name: string | null;
  body: string;
  sent_at: string;
  edited_at: string | null;
  deleted: number;
  failure_code: string | null;
  failure_message: string | null;
  thread_of: string | null;
  version: number;
  reply_count: number;
  last_reply_at: string | null;
  /** JSON: [{ emoji, id, name, seq }], one per reaction. */
  reactions: string;
  /** JSON: ChatFileRef[]; NULL without files. */
  files: string | null;
  urgent: number;
};

/**
 * A message with what its thread and reactions add: replies are counted through
 * messages_by_thread, reactions read by their primary key, so a page of messages costs two
 * index lookups per message.
 */
const MESSAGE_COLUMNS = `m.client_id, m.conversation_id, m.seq, m.author_id, u.name AS author_name, m.body, m.sent_at,
  m.edited_at, m.deleted, m.failure_code, m.failure_message, m.thread_of, m.files, m.urgent, coalesce(m.updated_seq, m.seq, 0) AS version,
  (SELECT count(*) FROM messages r WHERE r.thread_of = m.client_id AND r.deleted = 0) AS reply_count,
  (SELECT max(r.sent_at) FROM messages r WHERE r.thread_of = m.client_id AND r.deleted = 0) AS last_reply_at,
  (SELECT json_group_array(json_object('emoji', x.emoji, 'id', x.user_id, 'name', coalesce(xu.name, x.user_id), 'seq', x.seq))
    FROM reactions x LEFT JOIN users xu ON xu.id = x.user_id WHERE x.message_id = m.client_id) AS reactions`;

/**
 * A conversation's page, newest first: its pending messages (the newest page only), then the
 * sent ones below `@before`. Each part walks messages_by_seq from its end and stops at the limit,
 * and only the page's rows get MESSAGE_COLUMNS' subqueries: with one query ordering the whole
 * conversation, opening one cost time in proportion to its history (4 ms at 2,000 messages).
 * Exported for its query-plan test.
 */
export const MESSAGE_PAGE_SQL = `WITH page (local_id) AS (
    SELECT local_id FROM (
      SELECT local_id, 1 AS pending, NULL AS seq FROM (
        SELECT local_id FROM messages WHERE conversation_id = @conversation AND seq IS NULL AND @pending
          AND thread_of IS NULL ORDER BY local_id DESC LIMIT @limit)
      UNION ALL
      SELECT local_id, 0, seq FROM (
        SELECT local_id, seq FROM messages WHERE conversation_id = @conversation AND seq < @before
          AND thread_of IS NULL ORDER BY seq DESC LIMIT @limit))
    ORDER BY pending DESC, seq DESC, local_id DESC LIMIT @limit)
  SELECT ${MESSAGE_COLUMNS} FROM page JOIN messages m ON m.local_id = page.local_id
  LEFT JOIN users u ON u.id = m.author_id
  ORDER BY m.seq IS NULL DESC, m.seq DESC, m.local_id DESC`;

type ReactionRow = { emoji: MessageReaction; id: string; name: string; seq: number };

/** Reactions grouped by emoji, each emoji where its oldest standing reaction is, its people in the order they gave it. */
function reactionViews(json: string): ChatMessageView['reactions'] {
  const rows = (JSON.parse(json) as ReactionRow[]).sort((a, b) => a.seq - b.seq);
  const byEmoji = new Map<MessageReaction, { id: string; name: string }[]>();
  for (const row of rows) {
    const users = byEmoji.get(row.emoji) ?? [];
    users.push({ id: row.id, name: row.name });
    byEmoji.set(row.emoji, users);
  }
  return [...byEmoji].map(([emoji, users]) => ({ emoji, users }));
}

/** A code this build does not know (written by a newer one) still reads as a failure. */
const StoredErrorCode = ErrorCodeSchema.catch('internal');

function messageView(row: MessageRow): ChatMessageView {
  return {
    conversationId: row.conversation_id,
    clientId: row.client_id,
    seq: row.seq,
    authorId: row.author_id,
    authorName: row.author_name ?? row.author_id,
    body: row.body,
    sentAt: row.sent_at,
    editedAt: row.edited_at,
    deleted: row.deleted === 1,
    // A seq wins over a recorded failure: the server has the message, whatever was said before.
    status: row.seq !== null ? 'sent' : row.failure_code !== null ? 'failed' : 'pending',
    failure:
      row.seq === null && row.failure_code !== null
        ? { code: StoredErrorCode.parse(row.failure_code), message: row.failure_message ?? '' }
        : null,
    version: row.version,
    threadOf: row.thread_of,
    replyCount: row.reply_count,
    lastReplyAt: row.last_reply_at,
    reactions: reactionViews(row.reactions),
    // A deleted message's files go with its body.
    files: row.files === null || row.deleted === 1 ? [] : (JSON.parse(row.files) as ChatFileRef[]),
    urgent: row.urgent === 1,
  };
}

/**
 * The row a `message` event inserts, as MESSAGE_COLUMNS reads it back while no later event has
 * touched it (`touch` in applyChatEvents): no replies and no reactions yet (each comes with an
 * event of a later seq, which touches it), its version its own seq. The author's name is the
 * caller's to fill in. A page of history is mostly such rows, and reading them back cost more than
 * inserting them (BENCHMARKS.md B4).
 */
function insertedRow(event: Extract<ChatEvent, { type: 'message' }>): MessageRow {
  return {
    client_id: event.clientId,
    conversation_id: event.conversationId,
    seq: event.seq,
    author_id: event.authorId,
    author_name: null,
    body: event.body,
    sent_at: event.createdAt,
    edited_at: null,
    deleted: 0,
    failure_code: null,
    failure_message: null,
    thread_of: event.threadOf ?? null,
    version: event.seq,
    reply_count: 0,
    last_reply_at: null,
    reactions: '[]',
    files: event.files === undefined ? null : JSON.stringify(event.files),
    urgent: event.urgent === true ? 1 : 0,
  };
}

/** The order messagesByClientId answers in: sent ones by seq, then pending ones. */
function bySeq(a: ChatMessageView, b: ChatMessageView): number {
  if (a.seq === null || b.seq === null) return (a.seq === null ? 1 : 0) - (b.seq === null ? 1 : 0);
  return a.seq - b.seq;
}

function messagesByClientId(db: Database, clientIds: readonly string[]): ChatMessageView[] {
  if (clientIds.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id
       WHERE m.client_id IN (SELECT value FROM json_each(?)) ORDER BY m.seq IS NULL, m.seq, m.local_id`,
    )
    .all(JSON.stringify(clientIds)) as MessageRow[];
  return rows.map(messageView);
}

type ConversationRow = {
  id: string;
  kind: string;
  name: string;
  meeting_id: string | null;
  synced_seq: number;
  last_opened_at: string | null;
  private: number;
  archived_at: string | null;
  role: string | null;
  left_channel: number;
};

/** A kind or role this build does not know (written by a newer one) reads as the plainest. */
const StoredKind = ConversationKindSchema.catch('meeting');
const StoredRole = MemberRoleSchema.nullable().catch(null);

/** The members of each private conversation named, in the server's order, with their names. */
function membersOf(db: Database, ids: readonly string[]): Map<string, PersonRef[]> {
  const byConversation = new Map<string, PersonRef[]>();
  if (ids.length === 0) return byConversation;
  const rows = prepared(
    db,
    `SELECT cm.conversation_id, cm.user_id AS id, coalesce(u.name, cm.user_id) AS name
     FROM conversation_members cm LEFT JOIN users u ON u.id = cm.user_id
     WHERE cm.conversation_id IN (SELECT value FROM json_each(?)) ORDER BY cm.conversation_id, cm.position`,
  ).all(JSON.stringify(ids)) as { conversation_id: string; id: string; name: string }[];
  for (const row of rows) {
    const members = byConversation.get(row.conversation_id) ?? [];
    members.push({ id: row.id, name: row.name });
    byConversation.set(row.conversation_id, members);
  }
  return byConversation;
}

function conversationView(row: ConversationRow, members: ReadonlyMap<string, PersonRef[]>): ConversationView {
  return {
    id: row.id,
    kind: StoredKind.parse(row.kind),
    name: row.name,
    meetingId: row.meeting_id,
    syncedSeq: row.synced_seq,
    lastOpenedAt: row.last_opened_at,
    private: row.private === 1,
    archivedAt: row.archived_at,
    members: row.private === 1 ? (members.get(row.id) ?? []) : null,
    role: StoredRole.parse(row.role),
    left: row.left_channel === 1,
  };
}

type SummaryRow = ConversationRow & {
  read_seq: number;
  created_at: string | null;
  unread: number;
  last_client_id: string | null;
  /** JSON: the bodies of unread messages with an `@`, for mentions to be judged in JS. */
  mention_bodies: string;
  self_name: string | null;
};

/**
 * Unread messages: by others (`@self`, the signed-in user; NULL counts everyone), not deleted, above
 * the read position. The newest message: a pending one of ours first, as the conversation lists
 * them. Each subquery walks messages_by_seq from its end, so a long history costs nothing. Thread
 * replies are neither: they are not in the conversation's list (a reply that concerns the user is
 * a notification). Mentions are judged by the shared rule on the unread bodies that have an `@`.
 */
const UNREAD = `m.conversation_id = c.id AND m.seq > c.read_seq AND m.author_id IS NOT @self AND m.deleted = 0
      AND m.thread_of IS NULL`;
const SUMMARY_SQL = `SELECT c.*,
  (SELECT count(*) FROM messages m WHERE ${UNREAD}) AS unread,
  (SELECT json_group_array(m.body) FROM messages m WHERE ${UNREAD} AND m.body LIKE '%@%') AS mention_bodies,
  (SELECT name FROM users WHERE id = @self) AS self_name,
  coalesce(
    (SELECT m.client_id FROM messages m WHERE m.conversation_id = c.id AND m.seq IS NULL AND m.thread_of IS NULL
      ORDER BY m.local_id DESC LIMIT 1),
    (SELECT m.client_id FROM messages m WHERE m.conversation_id = c.id AND m.seq IS NOT NULL AND m.thread_of IS NULL
      ORDER BY m.seq DESC LIMIT 1)
  ) AS last_client_id
  FROM conversations c`;

function summaries(db: Database, rows: readonly SummaryRow[]): ConversationSummary[] {
  const last = new Map(
    messagesByClientId(
      db,
      rows.flatMap((r) => (r.last_client_id === null ? [] : [r.last_client_id])),
    ).map((m) => [m.clientId, m]),
  );
  const members = membersOf(
    db,
    rows.filter((r) => r.private === 1).map((r) => r.id),
  );
  return rows.map((row) => ({
    ...conversationView(row, members),
    createdAt: row.created_at,
    readSeq: row.read_seq,
    unread: row.unread,
    mentions:
      row.self_name === null
        ? 0
        : (JSON.parse(row.mention_bodies) as string[]).filter((body) => mentions(body, row.self_name ?? '')).length,
    lastMessage: row.last_client_id === null ? null : (last.get(row.last_client_id) ?? null),
  }));
}

/** Set (in kv, so signing out clears it) once the account's cache took its first conversation list. */
const FIRST_LIST_KEY = 'conversations.listed';
/**
 * The offset of the organisation's change stream that the cache holds everything up to (kv, so
 * signing out clears it): the one number a reconnect resumes from.
 */
const CHANGE_CURSOR_KEY = 'changes.cursor';
/** Where the people directory was read up to (`GET /users?since=`). */
const DIRECTORY_CURSOR_KEY = 'directory.cursor';
/** Where the decisions were read up to (`GET /decisions?since=`). */
const DECISIONS_CURSOR_KEY = 'decisions.cursor';

type DecisionRow = { record: string; pending: number };

/** The decision fields a view holds, whether the server has the decision yet or not. */
type DecisionRecord = Omit<DecisionView, 'deliveryStatus'>;

function decisionView(row: DecisionRow): DecisionView {
  const record = JSON.parse(row.record) as DecisionRecord;
  return { ...record, deliveryStatus: row.pending > 0 ? 'pending' : 'sent' };
}

function fromServerDecision(decision: Decision, clientId: string): DecisionRecord {
  return {
    clientId,
    id: decision.id,
    meetingId: decision.meetingId,
    message: decision.message,
    moment: decision.moment,
    title: decision.title,
    detail: decision.detail,
    outcome: decision.outcome,
    ownerId: decision.ownerId,
    dueDate: decision.dueDate,
    status: decision.status,
    version: decision.version,
    updatedAt: decision.updatedAt,
  };
}

/** FTS5 query syntax from what a person typed: every word must appear, as a word prefix. */
function matchExpression(query: string): string | null {
  const words = searchWords(query);
  return words.length === 0 ? null : words.map((word) => `"${word}"*`).join(' ');
}

type SegmentRow = {
  id: string;
  meeting_id: string;
  speaker_id: string | null;
  speaker_name: string;
  started_at: string;
  ended_at: string;
  text: string;
};
const SEGMENT_COLUMNS = 's.id, s.meeting_id, s.speaker_id, s.speaker_name, s.started_at, s.ended_at, s.text';
const segmentOf = (row: SegmentRow): TranscriptSegment => ({
  id: row.id,
  meetingId: row.meeting_id,
  speaker: { userId: row.speaker_id, name: row.speaker_name },
  startedAt: row.started_at,
  endedAt: row.ended_at,
  text: row.text,
});

/** What the cache's search may be narrowed to, as the server's: in, from, with files, a time range. */
export type CacheSearch = {
  readonly query: string;
  readonly conversationId?: string | undefined;
  readonly from?: string | undefined;
  readonly hasFile?: boolean | undefined;
  readonly after?: string | undefined;
  readonly before?: string | undefined;
  readonly limit: number;
};

/** A conversation from the server, with how the user stands in it when the server said (lists, additions). */
export type CachedConversation = Conversation & {
  readonly self?: Pick<ConversationSelf, 'role' | 'visibleFromSeq' | 'lastReadSeq' | 'left'>;
};

/** What the outbox holds, by kind. Each entry's `clientId` is the server's idempotency id. */
export type OutboxPayload =
  | {
      readonly kind: 'message.send';
      readonly conversationId: string;
      readonly clientId: string;
      readonly body: string;
      /** A thread reply's root; absent for a top-level message (and in entries written before threads). */
      readonly threadOf?: string;
      /** Files uploaded for it, attached when it is sent; absent without. */
      readonly files?: readonly ChatFileRef[];
      /** Marked urgent by its author; absent when not (and in entries written before urgent messages). */
      readonly urgent?: true;
    }
  | { readonly kind: 'decision.create'; readonly request: CreateDecisionRequest & { readonly clientId: string } }
  | {
      readonly kind: 'decision.update';
      readonly clientId: string;
      readonly decisionClientId: string;
      readonly patch: UpdateDecisionRequest;
    };

export type OutboxEntry = { readonly seq: number; readonly attempts: number; readonly payload: OutboxPayload };

export const reads = {
  /** An encrypted meeting's chat as this device kept it, in the order it was kept. */
  encryptedChat(db: Database, meetingId: string): E2eeChatEntry[] {
    const rows = prepared(
      db,
      'SELECT id, author_id, author_name, text, sent_at FROM encrypted_chat WHERE meeting_id = ? ORDER BY kept_at, rowid',
    ).all(meetingId) as { id: string; author_id: string; author_name: string; text: string; sent_at: string }[];
    return rows.map((r) => ({ id: r.id, from: r.author_id, name: r.author_name, text: r.text, sentAt: r.sent_at }));
  },

  kvGet(db: Database, key: string): string | null {
    const row = prepared(db, 'SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  },

  /** `selfId`: the signed-in user, whose own messages are never unread. */
  allConversations(db: Database, args: { selfId: string | null }): ConversationSummary[] {
    const rows = prepared(db, `${SUMMARY_SQL} ORDER BY c.kind, c.name COLLATE NOCASE`).all({
      self: args.selfId,
    }) as SummaryRow[];
    return summaries(db, rows);
  },

  /** The organisation's people as the last list from the server named them, by name. */
  people(db: Database, _: null): { id: string; name: string }[] {
    return prepared(db, 'SELECT id, name FROM users ORDER BY name COLLATE NOCASE, id').all() as {
      id: string;
      name: string;
    }[];
  },

  /** Which of these people the cache has no name for. */
  unnamedUsers(db: Database, ids: readonly string[]): string[] {
    return (
      prepared(db, 'SELECT value AS id FROM json_each(@ids) WHERE value NOT IN (SELECT id FROM users)').all({
        ids: JSON.stringify(ids),
      }) as { id: string }[]
    ).map((r) => r.id);
  },

  /** The named conversations the cache holds, in no particular order. */
  conversationSummaries(db: Database, args: { ids: readonly string[]; selfId: string | null }): ConversationSummary[] {
    const rows = prepared(db, `${SUMMARY_SQL} WHERE c.id IN (SELECT value FROM json_each(@ids))`).all({
      self: args.selfId,
      ids: JSON.stringify(args.ids),
    }) as SummaryRow[];
    return summaries(db, rows);
  },

  conversation(db: Database, id: string): ConversationView | null {
    const row = prepared(db, 'SELECT * FROM conversations WHERE id = ?').get(id) as ConversationRow | undefined;
    return row === undefined ? null : conversationView(row, membersOf(db, [id]));
  },

  /** Where the other members of a conversation have read up to, as last heard from the server. */
  receipts(db: Database, args: { conversationId: string; selfId: string | null }): ReadReceiptView[] {
    return prepared(
      db,
      `SELECT cm.user_id AS userId, coalesce(u.name, cm.user_id) AS name, cm.read_seq AS seq
       FROM conversation_members cm LEFT JOIN users u ON u.id = cm.user_id
       WHERE cm.conversation_id = ? AND cm.read_seq IS NOT NULL AND cm.user_id IS NOT ? ORDER BY cm.position`,
    ).all(args.conversationId, args.selfId) as ReadReceiptView[];
  },

  /** The user's read position in each private conversation: what its members may see of it. */
  privateReadPositions(db: Database, _: null): { conversationId: string; readSeq: number }[] {
    return prepared(
      db,
      'SELECT id AS conversationId, read_seq AS readSeq FROM conversations WHERE private = 1',
    ).all() as {
      conversationId: string;
      readSeq: number;
    }[];
  },

  /** The user's read position in a conversation (0 when it is not cached). */
  readSeq(db: Database, conversationId: string): number {
    const row = prepared(db, 'SELECT read_seq FROM conversations WHERE id = ?').get(conversationId) as
      { read_seq: number } | undefined;
    return row?.read_seq ?? 0;
  },

  /** The change-stream cursor to resume from: 0 before the first resume. */
  changeCursor(db: Database, _: null): number {
    return Number(reads.kvGet(db, CHANGE_CURSOR_KEY) ?? 0);
  },

  /** The records of the people the directory listed (JSON of each `User`), for main to check and order. */
  directoryRecords(db: Database, _: null): string[] {
    return (prepared(db, 'SELECT record FROM users WHERE record IS NOT NULL').all() as { record: string }[]).map(
      (r) => r.record,
    );
  },

  /** Where the people directory was read up to; null before the first read (everyone is read then). */
  directoryCursor(db: Database, _: null): number | null {
    const kept = reads.kvGet(db, DIRECTORY_CURSOR_KEY);
    return kept === null ? null : Number(kept);
  },

  /** Where the decisions were read up to; null before the first read (all are read then). */
  decisionsCursor(db: Database, _: null): number | null {
    const kept = reads.kvGet(db, DECISIONS_CURSOR_KEY);
    return kept === null ? null : Number(kept);
  },

  /** Where each known conversation's sync stands: what catching up compares with the server's list. */
  syncCursors(db: Database, _: null): { conversationId: string; since: number }[] {
    return prepared(db, 'SELECT id AS conversationId, synced_seq AS since FROM conversations').all() as {
      conversationId: string;
      since: number;
    }[];
  },

  message(db: Database, clientId: string): ChatMessageView | null {
    return messagesByClientId(db, [clientId])[0] ?? null;
  },

  /** An image's preview kept from an earlier fetch, so it shows offline; null before the first. */
  filePreview(db: Database, fileId: string): { contentType: string; data: Uint8Array } | null {
    const row = prepared(db, 'SELECT content_type, data FROM file_previews WHERE file_id = ?').get(fileId) as
      { content_type: string; data: Uint8Array } | undefined;
    return row === undefined ? null : { contentType: row.content_type, data: row.data };
  },

  /** A thread: its root, then its replies oldest first, pending ones last. Empty if the root is not cached. */
  thread(db: Database, args: { rootId: string }): ChatMessageView[] {
    const root = messagesByClientId(db, [args.rootId]);
    if (root.length === 0) return [];
    const rows = prepared(
      db,
      `SELECT ${MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.author_id
       WHERE m.thread_of = ? ORDER BY m.seq IS NULL, m.seq, m.local_id`,
    ).all(args.rootId) as MessageRow[];
    return [...root, ...rows.map(messageView)];
  },

  /** Whether the user takes part in the thread of `rootId`: wrote its root or a reply in it. */
  inThread(db: Database, args: { rootId: string; userId: string }): boolean {
    const row = prepared(
      db,
      `SELECT EXISTS (SELECT 1 FROM messages WHERE client_id = @root AND author_id = @user)
         OR EXISTS (SELECT 1 FROM messages WHERE thread_of = @root AND author_id = @user) AS yes`,
    ).get({ root: args.rootId, user: args.userId }) as { yes: number };
    return row.yes === 1;
  },

  /** The newest `limit` top-level messages before `beforeSeq`, oldest first, pending ones last. */
  messages(
    db: Database,
    args: { conversationId: string; beforeSeq?: number | undefined; limit: number },
  ): ChatMessageView[] {
    const rows = prepared(db, MESSAGE_PAGE_SQL).all({
      conversation: args.conversationId,
      before: args.beforeSeq ?? Number.MAX_SAFE_INTEGER,
      pending: args.beforeSeq === undefined ? 1 : 0,
      limit: args.limit,
    }) as MessageRow[];
    return rows.reverse().map(messageView);
  },

  /**
   * Newest first, as chat search is read. FTS5 walks its index in rowid order (the cache's
   * arrival order), so a common word stops after `limit` hits instead of ranking every match.
   */
  search(db: Database, args: CacheSearch): SearchHit[] {
    const match = matchExpression(args.query);
    if (match === null) return [];
    const rows = db
      .prepare(
        `SELECT ${MESSAGE_COLUMNS}, snippet(messages_fts, 0, @start, @end, '…', 16) AS snippet
         FROM messages_fts JOIN messages m ON m.local_id = messages_fts.rowid
         LEFT JOIN users u ON u.id = m.author_id
         WHERE messages_fts MATCH @match AND m.deleted = 0
           AND (@conversation IS NULL OR m.conversation_id = @conversation)
           AND (@author IS NULL OR m.author_id = @author)
           AND (@hasFile IS NULL OR (m.files IS NOT NULL) = @hasFile)
           AND (@after IS NULL OR m.sent_at >= @after) AND (@before IS NULL OR m.sent_at < @before)
         ORDER BY messages_fts.rowid DESC LIMIT @limit`,
      )
      .all({
        start: SNIPPET_MARK.start,
        end: SNIPPET_MARK.end,
        match,
        conversation: args.conversationId ?? null,
        author: args.from ?? null,
        hasFile: args.hasFile === undefined ? null : Number(args.hasFile),
        after: args.after ?? null,
        before: args.before ?? null,
        limit: args.limit,
      }) as (MessageRow & { snippet: string })[];
    return rows.map((row) => ({ message: messageView(row), snippet: row.snippet }));
  },

  /** A meeting's transcript as this device kept it, oldest first; null when it kept none. */
  transcript(db: Database, meetingId: string): { meetingTitle: string; segments: TranscriptSegment[] } | null {
    const kept = prepared(db, 'SELECT meeting_title FROM transcripts WHERE meeting_id = ?').get(meetingId) as
      { meeting_title: string } | undefined;
    if (kept === undefined) return null;
    const rows = prepared(
      db,
      `SELECT ${SEGMENT_COLUMNS} FROM transcript_segments s WHERE s.meeting_id = ? ORDER BY s.started_at, s.id`,
    ).all(meetingId) as SegmentRow[];
    return { meetingTitle: kept.meeting_title, segments: rows.map(segmentOf) };
  },

  /**
   * Kept transcript segments containing every word (as prefixes), newest first, as chat search
   * reads; narrowed (before the limit) to a speaker and to segments begun at or after `after`,
   * before `before`.
   */
  searchTranscripts(
    db: Database,
    args: { query: string; limit: number } & TranscriptSearchFilter,
  ): TranscriptSearchHit[] {
    const match = matchExpression(args.query);
    if (match === null) return [];
    const rows = prepared(
      db,
      `SELECT ${SEGMENT_COLUMNS}, t.meeting_title, snippet(transcript_fts, 0, @start, @end, '…', 16) AS snippet
       FROM transcript_fts JOIN transcript_segments s ON s.local_id = transcript_fts.rowid
       JOIN transcripts t ON t.meeting_id = s.meeting_id
       WHERE transcript_fts MATCH @match AND (@speaker IS NULL OR s.speaker_id = @speaker)
         AND (@after IS NULL OR s.started_at >= @after) AND (@before IS NULL OR s.started_at < @before)
       ORDER BY s.started_at DESC LIMIT @limit`,
    ).all({
      start: SNIPPET_MARK.start,
      end: SNIPPET_MARK.end,
      match,
      speaker: args.from ?? null,
      after: args.after ?? null,
      before: args.before ?? null,
      limit: args.limit,
    }) as (SegmentRow & { meeting_title: string; snippet: string })[];
    return rows.map((row) => ({ meetingTitle: row.meeting_title, segment: segmentOf(row), snippet: row.snippet }));
  },

  meetings(db: Database, _: null): Meeting[] {
    const rows = db
      .prepare('SELECT record FROM meetings ORDER BY personal DESC, starts_at IS NULL, starts_at')
      .all() as { record: string }[];
    return rows.map((row) => MeetingSchema.parse(JSON.parse(row.record)));
  },

  meeting(db: Database, id: string): Meeting | null {
    const row = prepared(db, 'SELECT record FROM meetings WHERE id = ?').get(id) as { record: string } | undefined;
    return row === undefined ? null : MeetingSchema.parse(JSON.parse(row.record));
  },

  decisions(db: Database, args: { meetingId?: string | undefined }): DecisionView[] {
    const rows = (
      args.meetingId === undefined
        ? prepared(db, 'SELECT record, pending FROM decisions ORDER BY updated_at DESC').all()
        : db
            .prepare('SELECT record, pending FROM decisions WHERE meeting_id = ? ORDER BY updated_at DESC')
            .all(args.meetingId)
    ) as DecisionRow[];
    return rows.map(decisionView);
  },

  decision(db: Database, clientId: string): DecisionView | null {
    const row = prepared(db, 'SELECT record, pending FROM decisions WHERE client_id = ?').get(clientId) as
      DecisionRow | undefined;
    return row === undefined ? null : decisionView(row);
  },

  outboxHead(db: Database, _: null): OutboxEntry | null {
    const row = prepared(db, 'SELECT seq, attempts, payload FROM outbox ORDER BY seq LIMIT 1').get() as
      { seq: number; attempts: number; payload: string } | undefined;
    return row === undefined
      ? null
      : { seq: row.seq, attempts: row.attempts, payload: JSON.parse(row.payload) as OutboxPayload };
  },

  outboxSize(db: Database, _: null): number {
    return (prepared(db, 'SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  },
};

function enqueue(db: Database, payload: OutboxPayload, at: string): void {
  const clientId = payload.kind === 'decision.create' ? payload.request.clientId : payload.clientId;
  prepared(db, 'INSERT INTO outbox (kind, client_id, payload, created_at) VALUES (?, ?, ?, ?)').run(
    payload.kind,
    clientId,
    JSON.stringify(payload),
    at,
  );
}

function storeDecision(db: Database, record: DecisionRecord, pendingDelta: number): void {
  prepared(
    db,
    `INSERT INTO decisions (client_id, id, meeting_id, updated_at, pending, record) VALUES (?, ?, ?, ?, max(?, 0), ?)
     ON CONFLICT (client_id) DO UPDATE SET id = excluded.id, meeting_id = excluded.meeting_id,
       updated_at = excluded.updated_at, pending = max(pending + ?, 0), record = excluded.record`,
  ).run(
    record.clientId,
    record.id,
    record.meetingId,
    record.updatedAt,
    pendingDelta,
    JSON.stringify(record),
    pendingDelta,
  );
}

/** A private conversation's members as the server lists them; read positions of those who stay are kept. */
function setMembers(db: Database, conversationId: string, memberIds: readonly string[]): void {
  prepared(
    db,
    'DELETE FROM conversation_members WHERE conversation_id = ? AND user_id NOT IN (SELECT value FROM json_each(?))',
  ).run(conversationId, JSON.stringify(memberIds));
  const upsert = prepared(
    db,
    `INSERT INTO conversation_members (conversation_id, user_id, position) VALUES (?, ?, ?)
     ON CONFLICT (conversation_id, user_id) DO UPDATE SET position = excluded.position WHERE position <> excluded.position`,
  );
  memberIds.forEach((userId, i) => upsert.run(conversationId, userId, i));
}

export const writes = {
  /** Keeps one message of an encrypted meeting's chat; the same author's id again changes nothing. */
  keepEncryptedChat(db: Database, args: { meetingId: string; message: E2eeChatEntry }): void {
    const m = args.message;
    prepared(
      db,
      `INSERT INTO encrypted_chat (meeting_id, author_id, id, author_name, text, sent_at, kept_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(args.meetingId, m.from, m.id, m.name, m.text, m.sentAt, new Date().toISOString());
  },

  /** Keeps an image's preview (a file's bytes never change, so a second store changes nothing). */
  storeFilePreview(db: Database, args: { fileId: string; contentType: string; data: Uint8Array; at: string }): void {
    prepared(
      db,
      'INSERT INTO file_previews (file_id, content_type, data, stored_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ).run(args.fileId, args.contentType, Buffer.from(args.data), args.at);
  },

  /**
   * Where the change stream now stands: an applied event's offset, or the server's `resumed`
   * cursor (which may be lower than ours after a reset: it is taken as it is).
   */
  setChangeCursor(db: Database, cursor: number): void {
    writes.kvSet(db, { key: CHANGE_CURSOR_KEY, value: String(cursor) });
  },

  kvSet(db: Database, args: { key: string; value: string | null }): void {
    if (args.value === null) prepared(db, 'DELETE FROM kv WHERE key = ?').run(args.key);
    else
      prepared(
        db,
        'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ).run(args.key, args.value);
  },

  upsertUsers(db: Database, users: readonly { id: string; name: string }[]): void {
    const upsert = prepared(
      db,
      'INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name',
    );
    for (const user of users) upsert.run(user.id, user.name);
  },

  /**
   * A page of the people directory (each person's name and record, the JSON of its `User`) and
   * the position it was read up to, together.
   */
  storeDirectoryPage(
    db: Database,
    page: { users: readonly { id: string; name: string; record: string }[]; cursor: number },
  ): void {
    const upsert = prepared(
      db,
      'INSERT INTO users (id, name, record) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, record = excluded.record',
    );
    for (const user of page.users) upsert.run(user.id, user.name, user.record);
    writes.kvSet(db, { key: DIRECTORY_CURSOR_KEY, value: String(page.cursor) });
  },

  /**
   * Conversations from the server: names, kinds, creation times, privacy, archiving, members
   * and, when the server said (`self`), the user's role, whether they left, and their read
   * position (which only ever moves the local one up). The sync and last-opened positions stay
   * local, except that nothing before `self.visibleFromSeq` is ever there to sync. Answers the
   * ids added or changed, so no one is told of a no-op.
   *
   * A conversation new to the cache starts unread from its first message, except in the first
   * full list (`list`) the signed-in account's cache receives: history from before the user had
   * the app is not news, so those start read up to the server's newest seq.
   */
  upsertConversations(db: Database, args: { conversations: readonly CachedConversation[]; list: boolean }): string[] {
    const firstList = args.list && reads.kvGet(db, FIRST_LIST_KEY) === null;
    if (firstList) writes.kvSet(db, { key: FIRST_LIST_KEY, value: 'done' });
    const snapshot = (id: string): string =>
      JSON.stringify([
        prepared(db, 'SELECT * FROM conversations WHERE id = ?').get(id) ?? null,
        prepared(db, 'SELECT user_id FROM conversation_members WHERE conversation_id = ? ORDER BY position').all(id),
      ]);
    const upsert = prepared(
      db,
      `INSERT INTO conversations (id, kind, name, meeting_id, created_at, read_seq, synced_seq, private, archived_at, role, left_channel)
       VALUES (@id, @kind, @name, @meeting, @created, max(@read, @floor), @floor, @private, @archived, @role, @left)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, meeting_id = excluded.meeting_id,
         created_at = excluded.created_at, private = excluded.private, archived_at = excluded.archived_at,
         role = CASE WHEN @known THEN excluded.role ELSE role END,
         left_channel = CASE WHEN @known THEN excluded.left_channel ELSE left_channel END,
         synced_seq = max(synced_seq, @floor), read_seq = max(read_seq, @serverRead)`,
    );
    const changed: string[] = [];
    for (const c of args.conversations) {
      const before = snapshot(c.id);
      const serverRead = c.self?.lastReadSeq ?? 0;
      upsert.run({
        id: c.id,
        kind: c.kind,
        name: c.name,
        meeting: c.meetingId,
        created: c.createdAt,
        read: firstList ? Math.max(c.latestSeq, serverRead) : serverRead,
        floor: c.self?.visibleFromSeq ?? 0,
        private: c.private ? 1 : 0,
        archived: c.archivedAt,
        role: c.self?.role ?? null,
        left: c.self?.left === true ? 1 : 0,
        known: c.self === undefined ? 0 : 1,
        serverRead,
      });
      if (c.memberIds !== null) setMembers(db, c.id, c.memberIds);
      if (snapshot(c.id) !== before) changed.push(c.id);
    }
    return changed;
  },

  /**
   * Private conversations the server no longer lists (the user was removed or left elsewhere)
   * leave the cache, with their messages: answers their ids.
   */
  dropPrivateExcept(db: Database, args: { keep: readonly string[] }): string[] {
    const gone = (
      prepared(db, 'SELECT id FROM conversations WHERE private = 1 AND id NOT IN (SELECT value FROM json_each(?))').all(
        JSON.stringify(args.keep),
      ) as { id: string }[]
    ).map((r) => r.id);
    writes.dropConversations(db, { ids: gone });
    return gone;
  },

  /**
   * Conversations the user may no longer read leave the cache whole: messages (and so search
   * hits), reactions, members, and messages still waiting in the outbox for them.
   */
  dropConversations(db: Database, args: { ids: readonly string[] }): void {
    const ids = JSON.stringify(args.ids);
    prepared(
      db,
      `DELETE FROM reactions WHERE message_id IN
         (SELECT client_id FROM messages WHERE conversation_id IN (SELECT value FROM json_each(?)))`,
    ).run(ids);
    prepared(db, 'DELETE FROM messages WHERE conversation_id IN (SELECT value FROM json_each(?))').run(ids);
    prepared(
      db,
      `DELETE FROM outbox WHERE kind = 'message.send'
         AND json_extract(payload, '$.conversationId') IN (SELECT value FROM json_each(?))`,
    ).run(ids);
    prepared(db, 'DELETE FROM conversation_members WHERE conversation_id IN (SELECT value FROM json_each(?))').run(ids);
    prepared(db, 'DELETE FROM conversations WHERE id IN (SELECT value FROM json_each(?))').run(ids);
  },

  /** A public channel the user left (or joined again): answers whether the cache changed. */
  setLeft(db: Database, args: { conversationId: string; left: boolean }): boolean {
    return (
      prepared(db, 'UPDATE conversations SET left_channel = ? WHERE id = ? AND left_channel <> ?').run(
        args.left ? 1 : 0,
        args.conversationId,
        args.left ? 1 : 0,
      ).changes > 0
    );
  },

  /**
   * Someone's read position as the server told it (never back). The user's own moves the local
   * one: what was read on another device is read here too. Answers whether anything changed.
   */
  setReceipt(db: Database, args: { conversationId: string; userId: string; seq: number; self: boolean }): boolean {
    const theirs = prepared(
      db,
      `UPDATE conversation_members SET read_seq = ?
       WHERE conversation_id = ? AND user_id = ? AND (read_seq IS NULL OR read_seq < ?)`,
    ).run(args.seq, args.conversationId, args.userId, args.seq).changes;
    const mine = args.self
      ? prepared(db, 'UPDATE conversations SET read_seq = ? WHERE id = ? AND read_seq < ?').run(
          args.seq,
          args.conversationId,
          args.seq,
        ).changes
      : 0;
    return theirs + mine > 0;
  },

  /** Opened: it renders first next start, and what it shows is read. */
  markOpened(db: Database, args: { conversationId: string; at: string }): ConversationView | null {
    prepared(db, 'UPDATE conversations SET last_opened_at = ?, read_seq = max(read_seq, synced_seq) WHERE id = ?').run(
      args.at,
      args.conversationId,
    );
    return reads.conversation(db, args.conversationId);
  },

  /** Read up to the sync position. Answers whether the position moved. */
  markRead(db: Database, args: { conversationId: string }): boolean {
    return (
      prepared(db, 'UPDATE conversations SET read_seq = synced_seq WHERE id = ? AND read_seq < synced_seq').run(
        args.conversationId,
      ).changes > 0
    );
  },

  /**
   * Folds server events into the cache, in order, each exactly once: an event at or below the
   * sync position was applied already; one beyond the next seq means events are missing, so it
   * stops there and reports the gap (the caller pages `since=` the position). A `message` event
   * for a client id the cache holds (our own send) gives that row its seq: never a duplicate.
   */
  applyChatEvents(
    db: Database,
    /**
     * `read`: the conversation is on screen, so what arrives is read. `offset`: the events came
     * on the change stream, which is held up to this offset once they are applied.
     */
    args: { conversationId: string; events: readonly ChatEvent[]; read?: boolean; offset?: number },
  ): { changed: ChatMessageView[]; syncedSeq: number; gap: boolean } {
    const cursor = prepared(db, 'SELECT synced_seq FROM conversations WHERE id = ?').get(args.conversationId) as
      { synced_seq: number } | undefined;
    if (cursor === undefined) {
      prepared(db, "INSERT INTO conversations (id, kind, name) VALUES (?, 'meeting', '')").run(args.conversationId);
    }
    let synced = cursor?.synced_seq ?? 0;
    const changed = new Set<string>();
    const index = messageIndexer(db);
    /** Rows above it are this batch's own inserts. */
    const before = maxLocalId(db);
    /** Rows this batch inserted, as they were inserted; `readBack`: those changed since, and older rows. */
    const inserted = new Map<string, MessageRow>();
    const readBack = new Set<string>();
    let seq = 0;
    /** The message changed at this event: a copy read before it is older (`version`). */
    const touch = (clientId: string) => {
      readBack.add(clientId);
      prepared(db, 'UPDATE messages SET updated_seq = ? WHERE client_id = ?').run(seq, clientId);
    };
    let gap = false;
    for (const event of args.events) {
      if (event.seq <= synced) continue;
      if (event.seq > synced + 1) {
        gap = true;
        break;
      }
      seq = event.seq;
      switch (event.type) {
        case 'message': {
          const row = insertedRow(event);
          const stored = prepared(
            db,
            `INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at, thread_of, files, urgent)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (client_id) DO UPDATE SET seq = excluded.seq, sent_at = excluded.sent_at,
               files = excluded.files, failure_code = NULL, failure_message = NULL
             RETURNING local_id`,
          ).get(
            row.client_id,
            row.conversation_id,
            row.seq,
            row.author_id,
            row.body,
            row.sent_at,
            row.thread_of,
            row.files,
            row.urgent,
          ) as { local_id: number };
          // A row that was there before (our own send, confirmed now) is read back, as is a client
          // id a batch carries twice (the server never sends one).
          if (stored.local_id <= before || inserted.has(row.client_id)) readBack.add(row.client_id);
          else inserted.set(row.client_id, row);
          index.inserted();
          // The root's reply count and last reply changed with it.
          if (event.threadOf !== undefined) {
            touch(event.threadOf);
            changed.add(event.threadOf);
          }
          break;
        }
        case 'edit':
          index.flush();
          prepared(db, 'UPDATE messages SET body = ?, edited_at = ? WHERE client_id = ?').run(
            event.body,
            event.createdAt,
            event.messageId,
          );
          break;
        case 'delete': {
          index.flush();
          prepared(db, "UPDATE messages SET body = '', deleted = 1 WHERE client_id = ?").run(event.messageId);
          const reply = prepared(db, 'SELECT thread_of FROM messages WHERE client_id = ?').get(event.messageId) as
            { thread_of: string | null } | undefined;
          if (reply?.thread_of != null) {
            touch(reply.thread_of);
            changed.add(reply.thread_of);
          }
          break;
        }
        case 'react':
          // The server refuses a second react by the same person, so this only guards a replayed page.
          prepared(
            db,
            'INSERT INTO reactions (message_id, emoji, user_id, seq) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
          ).run(event.messageId, event.emoji, event.authorId, event.seq);
          break;
        case 'unreact':
          prepared(db, 'DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?').run(
            event.messageId,
            event.emoji,
            event.authorId,
          );
          break;
        default: {
          const exhaustive: never = event;
          throw new Error(`unknown chat event ${JSON.stringify(exhaustive)}`);
        }
      }
      if (event.type !== 'message') touch(event.messageId);
      changed.add(event.messageId);
      synced = event.seq;
    }
    index.flush();
    prepared(
      db,
      `UPDATE conversations SET synced_seq = @synced, read_seq = CASE WHEN @read THEN max(read_seq, @synced) ELSE read_seq END
       WHERE id = @id`,
    ).run({ synced, read: args.read === true ? 1 : 0, id: args.conversationId });
    if (args.offset !== undefined) writes.setChangeCursor(db, args.offset);
    // Rows inserted and not touched since are viewed from what was inserted; the rest are read back.
    const names = new Map<string, string | null>();
    const authorName = (id: string) => {
      if (!names.has(id)) {
        const user = prepared(db, 'SELECT name FROM users WHERE id = ?').get(id) as { name: string } | undefined;
        names.set(id, user?.name ?? null);
      }
      return names.get(id) ?? null;
    };
    const fresh: ChatMessageView[] = [];
    const reread: string[] = [];
    for (const clientId of changed) {
      const row = readBack.has(clientId) ? undefined : inserted.get(clientId);
      if (row === undefined) reread.push(clientId);
      else fresh.push(messageView({ ...row, author_name: authorName(row.author_id) }));
    }
    const views = [...messagesByClientId(db, reread), ...fresh].sort(bySeq);
    return { changed: views, syncedSeq: synced, gap };
  },

  /** A message written locally: into the cache (pending, so it renders and is searchable) and the outbox. */
  enqueueMessage(
    db: Database,
    args: {
      conversationId: string;
      clientId: string;
      authorId: string;
      body: string;
      at: string;
      threadOf?: string | undefined;
      files?: readonly ChatFileRef[] | undefined;
      urgent?: boolean | undefined;
    },
  ): ChatMessageView {
    const files = args.files === undefined || args.files.length === 0 ? undefined : args.files;
    const index = messageIndexer(db);
    prepared(
      db,
      'INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at, thread_of, files, urgent) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)',
    ).run(
      args.clientId,
      args.conversationId,
      args.authorId,
      args.body,
      args.at,
      args.threadOf ?? null,
      files === undefined ? null : JSON.stringify(files),
      args.urgent === true ? 1 : 0,
    );
    index.inserted();
    index.flush();
    enqueue(
      db,
      {
        kind: 'message.send',
        conversationId: args.conversationId,
        clientId: args.clientId,
        body: args.body,
        ...(args.threadOf === undefined ? {} : { threadOf: args.threadOf }),
        ...(files === undefined ? {} : { files }),
        ...(args.urgent === true ? { urgent: true as const } : {}),
      },
      args.at,
    );
    const [view] = messagesByClientId(db, [args.clientId]);
    if (view === undefined) throw new Error('enqueued message vanished');
    return view;
  },

  /** The server stored an outbox message: the row gets its seq (the sync position is not moved). */
  acknowledgeMessage(db: Database, args: { outboxSeq: number; event: ChatEvent }): ChatMessageView[] {
    prepared(db, 'DELETE FROM outbox WHERE seq = ?').run(args.outboxSeq);
    prepared(
      db,
      `UPDATE messages SET seq = ?, sent_at = ?, failure_code = NULL, failure_message = NULL
       WHERE client_id = ? AND seq IS NULL`,
    ).run(args.event.seq, args.event.createdAt, args.event.clientId);
    return messagesByClientId(db, [args.event.clientId]);
  },

  enqueueDecisionCreate(
    db: Database,
    args: { request: CreateDecisionRequest & { clientId: string }; at: string },
  ): DecisionView {
    const r = args.request;
    storeDecision(
      db,
      {
        clientId: r.clientId,
        id: null,
        meetingId: r.meetingId ?? null,
        message: r.message ?? null,
        moment: null,
        title: r.title,
        detail: r.detail ?? '',
        outcome: r.outcome ?? '',
        ownerId: r.ownerId ?? null,
        dueDate: r.dueDate ?? null,
        status: r.status ?? 'proposed',
        version: 0,
        updatedAt: args.at,
      },
      1,
    );
    enqueue(db, { kind: 'decision.create', request: r }, args.at);
    const view = reads.decision(db, r.clientId);
    if (view === null) throw new Error('enqueued decision vanished');
    return view;
  },

  /** A local change shows at once; the outbox carries it to the server after any earlier entry. */
  enqueueDecisionUpdate(
    db: Database,
    args: { clientId: string; decisionClientId: string; patch: UpdateDecisionRequest; at: string },
  ): DecisionView | null {
    const current = reads.decision(db, args.decisionClientId);
    if (current === null) return null;
    const { deliveryStatus: _, ...record } = current;
    const { expectedVersion: __, ...fields } = args.patch;
    storeDecision(db, { ...record, ...fields, updatedAt: args.at }, 1);
    enqueue(
      db,
      { kind: 'decision.update', clientId: args.clientId, decisionClientId: args.decisionClientId, patch: args.patch },
      args.at,
    );
    return reads.decision(db, args.decisionClientId);
  },

  /**
   * The server's view of decisions wins, except over local changes still in the outbox: those
   * are applied on top when the server acknowledges them.
   */
  storeServerDecisions(
    db: Database,
    args: {
      decisions: readonly Decision[];
      acknowledged?: { outboxSeq: number; clientId: string };
      /** A page read by changes: where the decisions are now read up to, kept with them. */
      cursor?: number;
    },
  ): DecisionView[] {
    if (args.cursor !== undefined) writes.kvSet(db, { key: DECISIONS_CURSOR_KEY, value: String(args.cursor) });
    if (args.acknowledged !== undefined) {
      prepared(db, 'DELETE FROM outbox WHERE seq = ?').run(args.acknowledged.outboxSeq);
      // Server decisions carry no client id, so a live event that beat this answer was stored
      // under the server id; the acknowledged row is the same decision.
      for (const decision of args.decisions) {
        prepared(db, 'DELETE FROM decisions WHERE client_id = ? AND client_id <> ?').run(
          decision.id,
          args.acknowledged.clientId,
        );
      }
    }
    const changed: DecisionView[] = [];
    for (const decision of args.decisions) {
      const known = db
        .prepare('SELECT client_id, pending FROM decisions WHERE id = ? OR client_id = ?')
        .get(decision.id, args.acknowledged?.clientId ?? null) as { client_id: string; pending: number } | undefined;
      const clientId = known?.client_id ?? decision.id;
      const isAck = args.acknowledged !== undefined && args.acknowledged.clientId === clientId;
      if (known !== undefined && known.pending > (isAck ? 1 : 0)) {
        // Still pending locally: keep the local fields, learn only the server's id and version.
        prepared(
          db,
          `UPDATE decisions SET id = ?, pending = pending - ?, record = json_set(record, '$.id', ?, '$.version', ?)
           WHERE client_id = ?`,
        ).run(decision.id, isAck ? 1 : 0, decision.id, decision.version, clientId);
      } else {
        storeDecision(db, fromServerDecision(decision, clientId), isAck ? -1 : 0);
      }
      const view = reads.decision(db, clientId);
      if (view !== null) changed.push(view);
    }
    return changed;
  },

  outboxFailed(db: Database, args: { outboxSeq: number; error: string }): void {
    prepared(db, 'UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?').run(
      args.error,
      args.outboxSeq,
    );
  },

  /**
   * The server refused an entry for good: it leaves the outbox. A message stays, marked with the
   * server's answer (answered here), for its author to retry or discard; a decision's local trace goes.
   */
  outboxGiveUp(db: Database, args: { outboxSeq: number; failure: SendFailure }): ChatMessageView[] {
    const entry = reads.outboxHead(db, null);
    prepared(db, 'DELETE FROM outbox WHERE seq = ?').run(args.outboxSeq);
    if (entry?.seq !== args.outboxSeq) return [];
    const payload = entry.payload;
    switch (payload.kind) {
      case 'message.send':
        prepared(
          db,
          'UPDATE messages SET failure_code = ?, failure_message = ? WHERE client_id = ? AND seq IS NULL',
        ).run(args.failure.code, args.failure.message, payload.clientId);
        return messagesByClientId(db, [payload.clientId]);
      case 'decision.create':
        prepared(db, 'DELETE FROM decisions WHERE client_id = ? AND id IS NULL').run(payload.request.clientId);
        return [];
      case 'decision.update':
        prepared(db, 'UPDATE decisions SET pending = max(pending - 1, 0) WHERE client_id = ?').run(
          payload.decisionClientId,
        );
        return [];
      default: {
        const exhaustive: never = payload;
        throw new Error(`unknown outbox entry ${JSON.stringify(exhaustive)}`);
      }
    }
  },

  /** A failed message goes back into the outbox, last, with its own client id (the server never stored it). */
  retryMessage(db: Database, args: { clientId: string; at: string }): ChatMessageView | null {
    const row = prepared(
      db,
      'SELECT conversation_id, body, thread_of, files, urgent FROM messages WHERE client_id = ? AND seq IS NULL AND failure_code IS NOT NULL',
    ).get(args.clientId) as
      | { conversation_id: string; body: string; thread_of: string | null; files: string | null; urgent: number }
      | undefined;
    if (row !== undefined) {
      prepared(db, 'UPDATE messages SET failure_code = NULL, failure_message = NULL WHERE client_id = ?').run(
        args.clientId,
      );
      enqueue(
        db,
        {
          kind: 'message.send',
          conversationId: row.conversation_id,
          clientId: args.clientId,
          body: row.body,
          ...(row.thread_of === null ? {} : { threadOf: row.thread_of }),
          ...(row.files === null ? {} : { files: JSON.parse(row.files) as ChatFileRef[] }),
          ...(row.urgent === 1 ? { urgent: true as const } : {}),
        },
        args.at,
      );
    }
    return reads.message(db, args.clientId);
  },

  /** Forgets a failed message. Answers whether there was one: a pending or sent message is not discarded. */
  discardMessage(db: Database, args: { clientId: string }): boolean {
    return (
      prepared(db, 'DELETE FROM messages WHERE client_id = ? AND seq IS NULL AND failure_code IS NOT NULL').run(
        args.clientId,
      ).changes > 0
    );
  },

  /** The server's list replaces the cached one. Answers whether anything changed, so no one is told of a no-op. */
  replaceMeetings(db: Database, meetings: readonly Meeting[]): boolean {
    const before = prepared(db, 'SELECT record FROM meetings ORDER BY id').all() as { record: string }[];
    const after = [...meetings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((m) => JSON.stringify(m));
    if (before.length === after.length && before.every((row, i) => row.record === after[i])) return false;
    prepared(db, 'DELETE FROM meetings').run();
    const insert = prepared(db, 'INSERT INTO meetings (id, starts_at, personal, record) VALUES (?, ?, ?, ?)');
    for (const m of meetings) insert.run(m.id, m.startsAt, m.personal ? 1 : 0, JSON.stringify(m));
    return true;
  },

  upsertMeeting(db: Database, meeting: Meeting): void {
    prepared(
      db,
      `INSERT INTO meetings (id, starts_at, personal, record) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET starts_at = excluded.starts_at, personal = excluded.personal, record = excluded.record`,
    ).run(meeting.id, meeting.startsAt, meeting.personal ? 1 : 0, JSON.stringify(meeting));
  },

  /**
   * A meeting's transcript as the server has it now, replacing what was kept of it: segments are
   * only added while a meeting runs, so the server's list is always the whole of it.
   */
  keepTranscript(
    db: Database,
    args: { meetingId: string; meetingTitle: string; segments: readonly TranscriptSegment[]; at: string },
  ): void {
    prepared(db, 'DELETE FROM transcript_segments WHERE meeting_id = ?').run(args.meetingId);
    prepared(
      db,
      `INSERT INTO transcripts (meeting_id, meeting_title, kept_at) VALUES (?, ?, ?)
       ON CONFLICT (meeting_id) DO UPDATE SET meeting_title = excluded.meeting_title, kept_at = excluded.kept_at`,
    ).run(args.meetingId, args.meetingTitle, args.at);
    const insert = prepared(
      db,
      `INSERT INTO transcript_segments (id, meeting_id, speaker_id, speaker_name, started_at, ended_at, text)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const s of args.segments) {
      insert.run(s.id, args.meetingId, s.speaker.userId, s.speaker.name, s.startedAt, s.endedAt, s.text);
    }
  },

  /** Signing out leaves nothing of the user behind but the device's own settings. */
  clearAccount(db: Database, args: { keepKeys: readonly string[] }): void {
    for (const table of [
      'users',
      'conversations',
      'conversation_members',
      'messages',
      'reactions',
      'meetings',
      'decisions',
      'outbox',
      'encrypted_chat',
      'transcript_segments',
      'transcripts',
    ]) {
      prepared(db, `DELETE FROM ${table}`).run();
    }
    prepared(db, 'DELETE FROM kv WHERE key NOT IN (SELECT value FROM json_each(?))').run(JSON.stringify(args.keepKeys));
  },
};

export type Reads = typeof reads;
export type Writes = typeof writes;
