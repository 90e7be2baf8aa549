import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ChatEvent, Conversation, Decision, Meeting } from '@tandem/shared';
import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open.ts';
import { MESSAGE_PAGE_SQL, reads, writes, type CachedConversation } from './queries.ts';
import { assertUsesIndex, queryPlan } from './queryPlan.ts';
import { useTempFolder } from './testing.ts';

const tempDir = useTempFolder();
const open = () => openDatabase(path.join(tempDir(), 'cache.db'));
const AT = '2026-11-26T10:00:00.000Z';

function message(seq: number, body: string, clientId = randomUUID()): Extract<ChatEvent, { type: 'message' }> {
  return {
    type: 'message',
    conversationId: 'c1',
    seq,
    clientId,
    messageId: clientId,
    authorId: 'u1',
    createdAt: AT,
    body,
  };
}

describe('chat cache', () => {
  it('applies events in order once, and stops at a gap', () => {
    const db = open();
    const first = writes.applyChatEvents(db, { conversationId: 'c1', events: [message(1, 'one'), message(2, 'two')] });
    expect(first).toMatchObject({ syncedSeq: 2, gap: false });
    const again = writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [message(2, 'two again'), message(4, 'four')],
    });
    expect(again).toMatchObject({ syncedSeq: 2, gap: true, changed: [] });
    expect(reads.messages(db, { conversationId: 'c1', limit: 10 }).map((m) => m.body)).toEqual(['one', 'two']);
  });

  it('answers what a batch changed: its new messages, an own send it confirms, an older one edited, nothing else', () => {
    const db = open();
    const old = message(1, 'one');
    writes.applyChatEvents(db, { conversationId: 'c1', events: [old, message(2, 'two')] });
    const mine = randomUUID();
    writes.enqueueMessage(db, { conversationId: 'c1', clientId: mine, authorId: 'u1', body: 'mine', at: AT });
    // The newest row before the batch is another conversation's: it did not change.
    writes.applyChatEvents(db, {
      conversationId: 'c2',
      events: [{ ...message(1, 'elsewhere'), conversationId: 'c2' }],
    });
    const fresh = message(3, 'three');
    const edit: ChatEvent = { ...old, type: 'edit', seq: 5, clientId: randomUUID(), body: 'one, edited' };
    const { changed } = writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [fresh, message(4, 'mine', mine), edit],
    });
    expect(changed.map((m) => [m.clientId, m.body, m.seq])).toEqual([
      [old.clientId, 'one, edited', 1],
      [fresh.clientId, 'three', 3],
      [mine, 'mine', 4],
    ]);
  });

  it('folds edits and deletes into the message they name', () => {
    const db = open();
    const original = message(1, 'draft');
    const edit: ChatEvent = { ...original, type: 'edit', seq: 2, clientId: randomUUID(), body: 'final' };
    writes.applyChatEvents(db, { conversationId: 'c1', events: [original, edit] });
    expect(reads.messages(db, { conversationId: 'c1', limit: 10 })).toMatchObject([{ body: 'final', seq: 1 }]);
    const remove: ChatEvent = {
      type: 'delete',
      conversationId: 'c1',
      seq: 3,
      clientId: randomUUID(),
      messageId: original.messageId,
      authorId: 'u1',
      createdAt: AT,
    };
    writes.applyChatEvents(db, { conversationId: 'c1', events: [remove] });
    expect(reads.messages(db, { conversationId: 'c1', limit: 10 })).toMatchObject([{ deleted: true, body: '' }]);
    expect(reads.search(db, { query: 'final', limit: 5 })).toEqual([]);
  });

  it('search follows edits (old words gone, new ones found) and never finds a deleted body', () => {
    const db = open();
    const original = message(1, 'lunch at noon');
    const other = message(2, 'lunch is on me');
    const edit: ChatEvent = { ...original, type: 'edit', seq: 3, clientId: randomUUID(), body: 'lunch at one' };
    const changed = writes.applyChatEvents(db, { conversationId: 'c1', events: [original, other, edit] }).changed;
    expect(changed.find((m) => m.clientId === original.clientId)).toMatchObject({ body: 'lunch at one', editedAt: AT });
    expect(reads.search(db, { query: 'noon', limit: 5 })).toEqual([]);
    expect(reads.search(db, { query: 'one', limit: 5 }).map((h) => h.message.clientId)).toEqual([original.clientId]);

    const remove: ChatEvent = {
      type: 'delete',
      conversationId: 'c1',
      seq: 4,
      clientId: randomUUID(),
      messageId: other.messageId,
      authorId: 'u1',
      createdAt: AT,
    };
    writes.applyChatEvents(db, { conversationId: 'c1', events: [remove] });
    expect(reads.search(db, { query: 'lunch', limit: 5 }).map((h) => h.message.clientId)).toEqual([original.clientId]);
    expect(reads.message(db, other.clientId)).toMatchObject({ deleted: true, body: '', seq: 2, status: 'sent' });
    // The raw index agrees: the deleted body left it, not just the query's filter.
    const indexed = db.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'me'").all();
    expect(indexed).toEqual([]);
  });

  it('indexes every message of a long page, with an edit between them applied in its place', () => {
    const db = open();
    const events: ChatEvent[] = Array.from({ length: 300 }, (_, i) => message(i + 1, `page word${i}`));
    const target = events[100];
    if (target === undefined) throw new Error('no event 100');
    events.splice(150, 0, { ...target, type: 'edit', seq: 151, clientId: randomUUID(), body: 'page rewritten' });
    events.forEach((event, i) => Object.assign(event, { seq: i + 1 }));
    const result = writes.applyChatEvents(db, { conversationId: 'c1', events });
    expect(result).toMatchObject({ syncedSeq: 301, gap: false });
    expect(result.changed).toHaveLength(300);
    expect(reads.search(db, { query: 'page', limit: 500 })).toHaveLength(300);
    expect(reads.search(db, { query: 'word100', limit: 5 })).toEqual([]);
    expect(reads.search(db, { query: 'rewritten', limit: 5 }).map((h) => h.message.seq)).toEqual([101]);
    expect(reads.search(db, { query: 'word299', limit: 5 }).map((h) => h.message.seq)).toEqual([301]);
  });

  it('keeps a message the server refused for good, failed with its reason, until it is retried or discarded', () => {
    const db = open();
    const refused = randomUUID();
    const next = randomUUID();
    writes.enqueueMessage(db, { conversationId: 'c1', clientId: refused, authorId: 'u1', body: 'refused', at: AT });
    writes.enqueueMessage(db, { conversationId: 'c1', clientId: next, authorId: 'u1', body: 'next', at: AT });
    const head = reads.outboxHead(db, null);
    const failure = { code: 'forbidden', message: 'chat is turned off in this meeting' } as const;
    const [failed] = writes.outboxGiveUp(db, { outboxSeq: head?.seq ?? -1, failure });
    expect(failed).toMatchObject({ clientId: refused, status: 'failed', failure, seq: null, body: 'refused' });
    // The queue moves on to the next message; the failed one is no longer sent.
    expect(reads.outboxHead(db, null)?.payload).toMatchObject({ clientId: next });
    expect(reads.messages(db, { conversationId: 'c1', limit: 10 }).map((m) => [m.body, m.status])).toEqual([
      ['refused', 'failed'],
      ['next', 'pending'],
    ]);
    // Only a failed message is discarded: a pending one is still on its way.
    expect(writes.discardMessage(db, { clientId: next })).toBe(false);

    const retried = writes.retryMessage(db, { clientId: refused, at: AT });
    expect(retried).toMatchObject({ status: 'pending', failure: null });
    const queued = () => {
      const entries: string[] = [];
      for (let entry = reads.outboxHead(db, null); entry !== null; entry = reads.outboxHead(db, null)) {
        entries.push(entry.payload.kind === 'message.send' ? entry.payload.clientId : entry.payload.kind);
        db.prepare('DELETE FROM outbox WHERE seq = ?').run(entry.seq);
      }
      return entries;
    };
    // Behind what was queued before the retry, with the same idempotency id.
    expect(queued()).toEqual([next, refused]);
    expect(writes.discardMessage(db, { clientId: refused })).toBe(false);
    // Retrying what did not fail changes nothing.
    expect(writes.retryMessage(db, { clientId: next, at: AT })).toMatchObject({ status: 'pending' });
    expect(reads.outboxSize(db, null)).toBe(0);
    expect(writes.retryMessage(db, { clientId: randomUUID(), at: AT })).toBeNull();
  });

  it("keeps a message urgent from the server, from one's own send, through a refusal and its retry", () => {
    const db = open();
    writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [{ ...message(1, 'on fire'), urgent: true }, message(2, 'fine now')],
    });
    const mine = randomUUID();
    writes.enqueueMessage(db, {
      conversationId: 'c1',
      clientId: mine,
      authorId: 'u1',
      body: 'paging',
      at: AT,
      urgent: true,
    });
    expect(reads.messages(db, { conversationId: 'c1', limit: 10 }).map((m) => [m.body, m.urgent])).toEqual([
      ['on fire', true],
      ['fine now', false],
      ['paging', true],
    ]);
    const head = reads.outboxHead(db, null);
    expect(head?.payload).toMatchObject({ clientId: mine, urgent: true });
    writes.outboxGiveUp(db, { outboxSeq: head?.seq ?? -1, failure: { code: 'forbidden', message: 'no' } });
    writes.retryMessage(db, { clientId: mine, at: AT });
    expect(reads.outboxHead(db, null)?.payload).toMatchObject({ clientId: mine, urgent: true });
  });

  it('keeps the search index whole after every writer: edits and deletes in their own batch, a thread, local sends discarded, confirmed and retried, a dropped conversation, a cleared account', () => {
    const db = open();
    /** FTS5's own check against the messages table: it throws on any row indexed wrongly or not at all. */
    const indexIsWhole = () =>
      db.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run();
    const kept = message(1, 'quarterly budget');
    const edited = message(2, 'draft agenda');
    const dropped = message(3, 'wrong channel');
    const reply = { ...message(4, 'budget reply'), threadOf: kept.messageId };
    const edit: ChatEvent = { ...edited, type: 'edit', seq: 5, clientId: randomUUID(), body: 'final agenda' };
    const remove: ChatEvent = { ...dropped, type: 'delete', seq: 6, clientId: randomUUID() };
    writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [kept, edited, dropped, reply, edit, remove, message(7, 'after the edits')],
    });
    indexIsWhole();
    expect(reads.search(db, { query: 'budget', limit: 5 }).map((h) => h.message.seq)).toEqual([4, 1]);
    expect(reads.search(db, { query: 'draft', limit: 5 })).toEqual([]);
    expect(reads.search(db, { query: 'final', limit: 5 }).map((h) => h.message.seq)).toEqual([2]);
    expect(reads.search(db, { query: 'wrong', limit: 5 })).toEqual([]);
    expect(reads.search(db, { query: 'edits', limit: 5 }).map((h) => h.message.seq)).toEqual([7]);

    const clientId = randomUUID();
    writes.enqueueMessage(db, { conversationId: 'c1', clientId, authorId: 'u1', body: 'pending words', at: AT });
    indexIsWhole();
    expect(reads.search(db, { query: 'pending', limit: 5 })).toHaveLength(1);
    writes.outboxGiveUp(db, {
      outboxSeq: reads.outboxHead(db, null)?.seq ?? -1,
      failure: { code: 'bad_request', message: 'invalid body' },
    });
    expect(writes.discardMessage(db, { clientId })).toBe(true);
    indexIsWhole();

    // Own sends confirmed both ways (the outbox's answer, the server's event on the same row), each
    // found once; retried after a refusal; then a whole conversation dropped.
    const acked = randomUUID();
    writes.enqueueMessage(db, { conversationId: 'c1', clientId: acked, authorId: 'u1', body: 'acked words', at: AT });
    writes.acknowledgeMessage(db, {
      outboxSeq: reads.outboxHead(db, null)?.seq ?? -1,
      event: message(8, 'acked words', acked),
    });
    const merged = randomUUID();
    writes.enqueueMessage(db, { conversationId: 'c1', clientId: merged, authorId: 'u1', body: 'merged words', at: AT });
    writes.outboxGiveUp(db, {
      outboxSeq: reads.outboxHead(db, null)?.seq ?? -1,
      failure: { code: 'bad_request', message: 'refused' },
    });
    writes.retryMessage(db, { clientId: merged, at: AT });
    writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [message(8, 'acked words', acked), message(9, 'merged words', merged)],
    });
    indexIsWhole();
    expect(reads.search(db, { query: 'words', limit: 5 }).map((h) => h.message.clientId)).toEqual([merged, acked]);
    writes.applyChatEvents(db, {
      conversationId: 'c2',
      events: [{ ...message(1, 'other budget'), conversationId: 'c2' }],
    });
    writes.dropConversations(db, { ids: ['c1'] });
    indexIsWhole();
    expect(reads.search(db, { query: 'budget', limit: 5 }).map((h) => h.message.conversationId)).toEqual(['c2']);
    writes.clearAccount(db, { keepKeys: [] });
    indexIsWhole();
    expect(reads.search(db, { query: 'budget', limit: 5 })).toEqual([]);
  });

  it('discards a failed message from the view and from search', () => {
    const db = open();
    const clientId = randomUUID();
    writes.enqueueMessage(db, { conversationId: 'c1', clientId, authorId: 'u1', body: 'typo message', at: AT });
    writes.outboxGiveUp(db, {
      outboxSeq: reads.outboxHead(db, null)?.seq ?? -1,
      failure: { code: 'bad_request', message: 'invalid body' },
    });
    expect(reads.search(db, { query: 'typo', limit: 5 })).toHaveLength(1);
    expect(writes.discardMessage(db, { clientId })).toBe(true);
    expect(reads.message(db, clientId)).toBeNull();
    expect(reads.messages(db, { conversationId: 'c1', limit: 10 })).toEqual([]);
    expect(reads.search(db, { query: 'typo', limit: 5 })).toEqual([]);
    expect(writes.discardMessage(db, { clientId })).toBe(false);
  });

  it('a message the server turns out to have is sent, whatever failure was recorded', () => {
    const db = open();
    const clientId = randomUUID();
    writes.enqueueMessage(db, { conversationId: 'c1', clientId, authorId: 'u1', body: 'mine', at: AT });
    writes.outboxGiveUp(db, {
      outboxSeq: reads.outboxHead(db, null)?.seq ?? -1,
      failure: { code: 'conflict', message: 'clientId reused' },
    });
    writes.applyChatEvents(db, { conversationId: 'c1', events: [message(1, 'mine', clientId)] });
    expect(reads.message(db, clientId)).toMatchObject({ status: 'sent', seq: 1, failure: null });
    expect(writes.discardMessage(db, { clientId })).toBe(false);
  });

  it('turns a pending message into the synced one, never a second copy', () => {
    const db = open();
    writes.applyChatEvents(db, { conversationId: 'c1', events: [message(1, 'before')] });
    const clientId = randomUUID();
    const pending = writes.enqueueMessage(db, { conversationId: 'c1', clientId, authorId: 'u1', body: 'mine', at: AT });
    expect(pending).toMatchObject({ status: 'pending', seq: null });
    const head = reads.outboxHead(db, null);
    expect(head?.payload).toEqual({ kind: 'message.send', conversationId: 'c1', clientId, body: 'mine' });
    writes.acknowledgeMessage(db, { outboxSeq: head?.seq ?? -1, event: message(3, 'mine', clientId) });
    // Seq 2 (someone else's) arrives later with the sync; then ours again: folded, not duplicated.
    writes.applyChatEvents(db, { conversationId: 'c1', events: [message(2, 'theirs'), message(3, 'mine', clientId)] });
    expect(reads.messages(db, { conversationId: 'c1', limit: 10 }).map((m) => [m.body, m.seq, m.status])).toEqual([
      ['before', 1, 'sent'],
      ['theirs', 2, 'sent'],
      ['mine', 3, 'sent'],
    ]);
    expect(reads.outboxSize(db, null)).toBe(0);
  });

  it('pages backwards and lists pending messages last', () => {
    const db = open();
    writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [1, 2, 3, 4].map((seq) => message(seq, `m${seq}`)),
    });
    writes.enqueueMessage(db, { conversationId: 'c1', clientId: randomUUID(), authorId: 'u1', body: 'p', at: AT });
    expect(reads.messages(db, { conversationId: 'c1', limit: 3 }).map((m) => m.body)).toEqual(['m3', 'm4', 'p']);
    expect(reads.messages(db, { conversationId: 'c1', beforeSeq: 3, limit: 10 }).map((m) => m.body)).toEqual([
      'm1',
      'm2',
    ]);
  });

  it('finds words by prefix, with marked snippets, in one conversation or all', () => {
    const db = open();
    writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [message(1, 'The Quarterly budget is approved'), message(2, 'lunch?')],
    });
    const [hit, ...others] = reads.search(db, { query: 'budg quarter', limit: 10 });
    expect(others).toEqual([]);
    expect(hit?.snippet).toContain('\u0002budget\u0003');
    expect(reads.search(db, { query: 'budget', conversationId: 'other', limit: 10 })).toEqual([]);
    expect(reads.search(db, { query: '"*)(', limit: 10 })).toEqual([]);
  });

  it('answers newest first, and stops at the limit', () => {
    const db = open();
    writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [message(1, 'budget draft'), message(2, 'no match'), message(3, 'budget final')],
    });
    expect(reads.search(db, { query: 'budget', limit: 10 }).map((h) => h.message.body)).toEqual([
      'budget final',
      'budget draft',
    ]);
    expect(reads.search(db, { query: 'budget', limit: 1 }).map((h) => h.message.body)).toEqual(['budget final']);
  });

  it('queries by the intended indexes', () => {
    const db = open();
    // A page: both parts walk messages_by_seq in its order, each stopping at the limit (no sort
    // of the whole conversation), and only the page's rows are read whole, by rowid.
    const page = queryPlan(db, MESSAGE_PAGE_SQL, [{ conversation: 'c1', before: 5, pending: 1, limit: 200 }]);
    expect(page.filter((step) => step.includes('USING INDEX messages_by_seq'))).toEqual([
      'SEARCH messages USING INDEX messages_by_seq (conversation_id=? AND seq=?)',
      'SEARCH messages USING INDEX messages_by_seq (conversation_id=? AND seq<?)',
    ]);
    expect(page).toContain('SEARCH m USING INTEGER PRIMARY KEY (rowid=?)');
    for (const part of ['subquery-1', 'subquery-3']) {
      const at = page.indexOf(`CO-ROUTINE (${part})`);
      expect(page.slice(at, page.indexOf(`SCAN (${part})`))).not.toContain('USE TEMP B-TREE FOR ORDER BY');
    }
    assertUsesIndex(
      db,
      'SELECT record FROM decisions WHERE meeting_id = ? ORDER BY updated_at DESC',
      ['m1'],
      'decisions_by_meeting',
    );
    expect(() => assertUsesIndex(db, 'SELECT * FROM messages WHERE body = ?', ['x'], 'messages_by_seq')).toThrow(
      /expected the plan/,
    );
  });
});

describe('threads and reactions in the cache', () => {
  const reply = (seq: number, body: string, threadOf: string, authorId = 'u2'): ChatEvent => ({
    ...message(seq, body),
    authorId,
    threadOf,
  });
  const reaction = (seq: number, type: 'react' | 'unreact', messageId: string, emoji: '👍' | '🎉', authorId: string) =>
    ({
      type,
      conversationId: 'c1',
      seq,
      clientId: randomUUID(),
      messageId,
      authorId,
      createdAt: AT,
      emoji,
    }) satisfies ChatEvent;

  it('keeps replies out of the conversation page, counts them on the root, and reads the thread in order', () => {
    const db = open();
    writes.upsertUsers(db, [
      { id: 'u1', name: 'Ada' },
      { id: 'u2', name: 'Grace' },
    ]);
    const root = message(1, 'ship on friday?');
    const first = reply(2, 'friday works', root.messageId);
    const later = { ...reply(3, 'agreed', root.messageId, 'u1'), createdAt: '2026-11-26T10:05:00.000Z' };
    const result = writes.applyChatEvents(db, { conversationId: 'c1', events: [root, first, later] });
    expect(result.changed.find((m) => m.clientId === root.clientId)).toMatchObject({
      replyCount: 2,
      lastReplyAt: '2026-11-26T10:05:00.000Z',
      version: 3,
    });
    expect(result.changed.find((m) => m.clientId === first.clientId)).toMatchObject({ version: 2 });
    expect(reads.messages(db, { conversationId: 'c1', limit: 10 })).toMatchObject([
      { clientId: root.clientId, threadOf: null, replyCount: 2 },
    ]);
    expect(reads.thread(db, { rootId: root.messageId }).map((m) => [m.body, m.threadOf])).toEqual([
      ['ship on friday?', null],
      ['friday works', root.messageId],
      ['agreed', root.messageId],
    ]);
    // Replies are found by search, and are not unread in the conversation's list.
    expect(reads.search(db, { query: 'agreed', limit: 5 }).map((h) => h.message.threadOf)).toEqual([root.messageId]);
    expect(reads.conversationSummaries(db, { ids: ['c1'], selfId: 'u-other' })).toMatchObject([
      { unread: 1, lastMessage: { clientId: root.clientId } },
    ]);
    expect(reads.inThread(db, { rootId: root.messageId, userId: 'u1' })).toBe(true);
    expect(reads.inThread(db, { rootId: root.messageId, userId: 'u2' })).toBe(true);
    expect(reads.inThread(db, { rootId: root.messageId, userId: 'u3' })).toBe(false);
    // A deleted reply leaves the count, and the root hears of it.
    const { emoji: _, ...deletion } = reaction(4, 'react', first.messageId, '👍', 'u2');
    const after = writes.applyChatEvents(db, { conversationId: 'c1', events: [{ ...deletion, type: 'delete' }] });
    expect(after.changed.find((m) => m.clientId === root.clientId)).toMatchObject({ replyCount: 1 });
  });

  it('a pending reply shows in its thread and goes out with its root in the outbox', () => {
    const db = open();
    const root = message(1, 'question');
    writes.applyChatEvents(db, { conversationId: 'c1', events: [root] });
    const pending = writes.enqueueMessage(db, {
      conversationId: 'c1',
      clientId: randomUUID(),
      authorId: 'u1',
      body: 'my answer',
      at: AT,
      threadOf: root.messageId,
    });
    expect(pending).toMatchObject({ status: 'pending', threadOf: root.messageId });
    expect(reads.outboxHead(db, null)?.payload).toMatchObject({ kind: 'message.send', threadOf: root.messageId });
    expect(reads.messages(db, { conversationId: 'c1', limit: 10 }).map((m) => m.clientId)).toEqual([root.clientId]);
    expect(reads.thread(db, { rootId: root.messageId }).map((m) => m.status)).toEqual(['sent', 'pending']);
  });

  it('folds reactions: one per person and emoji, taken back, grouped by emoji in the order they stand, with names', () => {
    const db = open();
    writes.upsertUsers(db, [
      { id: 'u1', name: 'Ada' },
      { id: 'u2', name: 'Grace' },
    ]);
    const root = message(1, 'react to me');
    const result = writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [
        root,
        reaction(2, 'react', root.messageId, '🎉', 'u2'),
        reaction(3, 'react', root.messageId, '👍', 'u1'),
        reaction(4, 'react', root.messageId, '👍', 'u2'),
        reaction(5, 'react', root.messageId, '🎉', 'u1'),
        reaction(6, 'unreact', root.messageId, '🎉', 'u2'),
      ],
    });
    expect(result.changed).toHaveLength(1);
    // The view's version is the seq of the last event folded into the message.
    expect(result.changed[0]?.version).toBe(6);
    // Grace's 🎉 was taken back, so 👍 (Ada's, seq 3) is now the oldest reaction standing.
    expect(result.changed[0]?.reactions).toEqual([
      {
        emoji: '👍',
        users: [
          { id: 'u1', name: 'Ada' },
          { id: 'u2', name: 'Grace' },
        ],
      },
      { emoji: '🎉', users: [{ id: 'u1', name: 'Ada' }] },
    ]);
    writes.clearAccount(db, { keepKeys: [] });
    expect(db.prepare('SELECT count(*) AS n FROM reactions').get()).toEqual({ n: 0 });
  });

  it("answers a page's messages as the cache reads them back, whichever were touched after they came", () => {
    const db = open();
    writes.upsertUsers(db, [{ id: 'u1', name: 'Ada' }]);
    const mine = randomUUID();
    writes.enqueueMessage(db, { conversationId: 'c1', clientId: mine, authorId: 'u1', body: 'mine', at: AT });
    const files = [{ id: 'f1', name: 'plan.pdf', contentType: 'application/pdf' as const, sizeBytes: 1024 }];
    const root = message(1, 'root');
    const plain = message(2, 'plain');
    const unnamed = { ...message(3, 'by someone not in the people list'), authorId: 'u-unknown' };
    const attached = { ...message(4, 'with a file'), files, urgent: true as const };
    const edited = message(5, 'first words');
    const reacted = message(6, 'react to me');
    const events: ChatEvent[] = [
      root,
      plain,
      unnamed,
      attached,
      edited,
      reacted,
      reply(7, 'in the thread', root.messageId),
      { ...edited, type: 'edit', seq: 8, clientId: randomUUID(), body: 'second words' },
      reaction(9, 'react', reacted.messageId, '👍', 'u2'),
      message(10, 'mine, confirmed', mine),
    ];
    const { changed } = writes.applyChatEvents(db, { conversationId: 'c1', events });
    const ids = [root, plain, unnamed, attached, edited, reacted, events[6], events[9]].map((e) => e?.messageId ?? '');
    expect(changed.map((m) => m.clientId)).toEqual(ids);
    expect(changed).toEqual(ids.map((id) => reads.message(db, id)));
    expect(changed.find((m) => m.clientId === root.clientId)).toMatchObject({ replyCount: 1, version: 7 });
    expect(changed.find((m) => m.clientId === unnamed.clientId)).toMatchObject({ authorName: 'u-unknown' });
  });
});

describe('decision cache', () => {
  const serverDecision = (patch: Partial<Decision>): Decision => ({
    id: randomUUID(),
    organisationId: 'o',
    title: 'Ship v1',
    detail: '',
    outcome: '',
    ownerId: null,
    dueDate: null,
    status: 'proposed',
    meetingId: 'm1',
    message: null,
    moment: null,
    version: 1,
    createdBy: 'u1',
    createdAt: AT,
    updatedAt: AT,
    ...patch,
  });

  it('keeps local changes over the server until the outbox delivers them', () => {
    const db = open();
    const clientId = randomUUID();
    writes.enqueueDecisionCreate(db, { request: { clientId, title: 'Ship v1', meetingId: 'm1' }, at: AT });
    writes.enqueueDecisionUpdate(db, {
      clientId: randomUUID(),
      decisionClientId: clientId,
      patch: { status: 'agreed' },
      at: AT,
    });
    expect(reads.decision(db, clientId)).toMatchObject({ id: null, status: 'agreed', deliveryStatus: 'pending' });

    const created = serverDecision({});
    const [createEntry] = [reads.outboxHead(db, null)];
    writes.storeServerDecisions(db, {
      decisions: [created],
      acknowledged: { outboxSeq: createEntry?.seq ?? -1, clientId },
    });
    expect(reads.decision(db, clientId)).toMatchObject({ id: created.id, status: 'agreed', deliveryStatus: 'pending' });

    const updateEntry = reads.outboxHead(db, null);
    writes.storeServerDecisions(db, {
      decisions: [{ ...created, status: 'agreed', version: 2 }],
      acknowledged: { outboxSeq: updateEntry?.seq ?? -1, clientId },
    });
    expect(reads.decisions(db, { meetingId: 'm1' })).toMatchObject([
      { clientId, id: created.id, status: 'agreed', version: 2, deliveryStatus: 'sent' },
    ]);
    expect(reads.outboxSize(db, null)).toBe(0);
  });

  it('merges a live event that beat the acknowledgement into the same decision', () => {
    const db = open();
    const clientId = randomUUID();
    writes.enqueueDecisionCreate(db, { request: { clientId, title: 'Ship v1', meetingId: 'm1' }, at: AT });
    const created = serverDecision({});
    writes.storeServerDecisions(db, { decisions: [created] });
    const entry = reads.outboxHead(db, null);
    writes.storeServerDecisions(db, { decisions: [created], acknowledged: { outboxSeq: entry?.seq ?? -1, clientId } });
    expect(reads.decisions(db, {})).toHaveLength(1);
  });
});

describe('meeting cache', () => {
  it('reports a change only when the server list differs, so listing never loops on its own event', () => {
    const db = open();
    const meeting = (id: string, title: string): Meeting => ({
      id,
      organisationId: randomUUID(),
      title,
      ownerId: randomUUID(),
      personal: false,
      startsAt: null,
      endsAt: null,
      status: 'scheduled',
      locked: false,
      settings: { lobby: false, screenShare: 'everyone', chat: true, e2ee: false },
      joinCode: 'abcd1234',
      joinUrl: 'tandem://join/abcd1234',
      webJoinUrl: 'https://tandem.example/j/abcd1234',
      conversationId: randomUUID(),
      invitees: [],
      recording: null,
      timeZone: 'UTC',
      recurrence: null,
      rrule: null,
      type: 'meeting',
      webinar: null,
      createdAt: AT,
      updatedAt: AT,
    });
    const a = meeting(randomUUID(), 'Standup');
    const b = meeting(randomUUID(), 'Review');
    expect(writes.replaceMeetings(db, [a, b])).toBe(true);
    expect(writes.replaceMeetings(db, [b, a])).toBe(false);
    expect(writes.replaceMeetings(db, [a, { ...b, title: 'Design review' }])).toBe(true);
    expect(writes.replaceMeetings(db, [a])).toBe(true);
    expect(reads.meetings(db, null).map((m) => m.title)).toEqual(['Standup']);
    expect(reads.meeting(db, a.id)?.title).toBe('Standup');
    expect(reads.meeting(db, b.id)).toBeNull();
  });
});

describe('conversation summaries: unread counts and the newest message', () => {
  const channel = (id: string, latestSeq = 0, name = id): Conversation => ({
    id,
    organisationId: 'o1',
    kind: 'channel',
    meetingId: null,
    name,
    private: false,
    archivedAt: null,
    memberIds: null,
    createdBy: null,
    latestSeq,
    createdAt: AT,
  });
  /** A message by `authorId` in conversation `conversationId`. */
  const by = (authorId: string, seq: number, body: string, conversationId = 'c1'): ChatEvent => ({
    ...message(seq, body),
    authorId,
    conversationId,
  });
  const summary = (db: Database, id: string, selfId: string | null = 'u-me') =>
    reads.conversationSummaries(db, { ids: [id], selfId })[0];

  it('counts messages by others above the read position, never one’s own or a deleted one', () => {
    const db = open();
    writes.upsertConversations(db, { conversations: [channel('c1')], list: false });
    const theirs = by('u-ada', 1, 'one');
    writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [theirs, by('u-me', 2, 'mine'), by('u-ada', 3, 'three')],
    });
    expect(summary(db, 'c1')).toMatchObject({ readSeq: 0, syncedSeq: 3, unread: 2 });
    // Signed out (no self): everyone's messages count.
    expect(summary(db, 'c1', null)?.unread).toBe(3);
    const remove: ChatEvent = {
      type: 'delete',
      conversationId: 'c1',
      seq: 4,
      clientId: randomUUID(),
      messageId: theirs.messageId,
      authorId: 'u-ada',
      createdAt: AT,
    };
    writes.applyChatEvents(db, { conversationId: 'c1', events: [remove] });
    expect(summary(db, 'c1')?.unread).toBe(1);
  });

  it('reads up to the sync position when opened, marked read, or receiving while on screen; never back', () => {
    const db = open();
    writes.upsertConversations(db, { conversations: [channel('c1')], list: false });
    writes.applyChatEvents(db, { conversationId: 'c1', events: [by('u-ada', 1, 'one')] });
    expect(writes.markOpened(db, { conversationId: 'c1', at: AT })).toMatchObject({ lastOpenedAt: AT });
    expect(summary(db, 'c1')).toMatchObject({ readSeq: 1, unread: 0 });

    writes.applyChatEvents(db, { conversationId: 'c1', events: [by('u-ada', 2, 'two')] });
    expect(summary(db, 'c1')).toMatchObject({ readSeq: 1, unread: 1 });
    expect(writes.markRead(db, { conversationId: 'c1' })).toBe(true);
    expect(writes.markRead(db, { conversationId: 'c1' })).toBe(false);
    expect(summary(db, 'c1')).toMatchObject({ readSeq: 2, unread: 0 });

    writes.applyChatEvents(db, { conversationId: 'c1', events: [by('u-ada', 3, 'three')], read: true });
    expect(summary(db, 'c1')).toMatchObject({ readSeq: 3, unread: 0 });
    // A replay of what was read (read: true, nothing new) does not move it back.
    writes.applyChatEvents(db, { conversationId: 'c1', events: [by('u-ada', 2, 'two')], read: true });
    expect(summary(db, 'c1')?.readSeq).toBe(3);
    expect(writes.markRead(db, { conversationId: 'unknown' })).toBe(false);
  });

  it('previews the newest message: a pending one of ours first, a deleted one as deleted', () => {
    const db = open();
    writes.upsertConversations(db, { conversations: [channel('c1'), channel('empty')], list: false });
    expect(summary(db, 'empty')?.lastMessage).toBeNull();
    const last = by('u-ada', 2, 'newest');
    writes.applyChatEvents(db, { conversationId: 'c1', events: [by('u-ada', 1, 'oldest'), last] });
    expect(summary(db, 'c1')?.lastMessage).toMatchObject({ body: 'newest', seq: 2, authorId: 'u-ada' });
    writes.applyChatEvents(db, {
      conversationId: 'c1',
      events: [{ ...last, type: 'delete', seq: 3, clientId: randomUUID(), messageId: last.messageId }],
    });
    expect(summary(db, 'c1')?.lastMessage).toMatchObject({ clientId: last.clientId, deleted: true, body: '' });
    const clientId = randomUUID();
    writes.enqueueMessage(db, { conversationId: 'c1', clientId, authorId: 'u-me', body: 'on its way', at: AT });
    expect(summary(db, 'c1')?.lastMessage).toMatchObject({ clientId, status: 'pending' });
    expect(reads.allConversations(db, { selfId: 'u-me' }).map((c) => [c.id, c.lastMessage?.body ?? null])).toEqual([
      ['c1', 'on its way'],
      ['empty', null],
    ]);
  });

  it('starts the first list after sign-in read, and what is learned later unread from its start', () => {
    const db = open();
    const upsert = (conversations: Conversation[], list = true) =>
      writes.upsertConversations(db, { conversations, list });
    // Announced live before any list: news.
    expect(upsert([channel('live', 1)], false)).toEqual(['live']);
    expect(upsert([channel('old', 5, 'Old'), channel('older', 2, 'Older')])).toEqual(['old', 'older']);
    writes.applyChatEvents(db, {
      conversationId: 'old',
      events: [1, 2, 3, 4, 5].map((seq) => by('u-ada', seq, `m${seq}`, 'old')),
    });
    writes.applyChatEvents(db, { conversationId: 'live', events: [by('u-ada', 1, 'first', 'live')] });
    expect(summary(db, 'old')).toMatchObject({ readSeq: 5, unread: 0, createdAt: AT });
    expect(summary(db, 'live')).toMatchObject({ readSeq: 0, unread: 1 });

    // Nothing changed: nobody is told. A rename or a new conversation is a change; positions stay.
    expect(upsert([channel('old', 9, 'Old'), channel('older', 2, 'Older')])).toEqual([]);
    expect(upsert([channel('old', 9, 'Renamed'), channel('older', 2, 'Older'), channel('new', 2)])).toEqual([
      'old',
      'new',
    ]);
    expect(summary(db, 'old')).toMatchObject({ name: 'Renamed', readSeq: 5, syncedSeq: 5 });
    writes.applyChatEvents(db, {
      conversationId: 'new',
      events: [by('u-ada', 1, 'hello', 'new'), by('u-ada', 2, 'again', 'new')],
    });
    expect(summary(db, 'new')).toMatchObject({ readSeq: 0, unread: 2 });

    // The next account on this machine gets its own first list.
    writes.clearAccount(db, { keepKeys: [] });
    upsert([channel('old', 9, 'Old')]);
    expect(summary(db, 'old')?.readSeq).toBe(9);
  });

  it('fills in a conversation first known from its events, keeping its position', () => {
    const db = open();
    writes.applyChatEvents(db, { conversationId: 'm1', events: [by('u-ada', 1, 'hi', 'm1')] });
    expect(summary(db, 'm1')).toMatchObject({ name: '', createdAt: null, unread: 1 });
    expect(
      writes.upsertConversations(db, {
        conversations: [{ ...channel('m1', 1, 'Standup'), kind: 'meeting', meetingId: 'mt1' }],
        list: false,
      }),
    ).toEqual(['m1']);
    expect(summary(db, 'm1')).toMatchObject({ name: 'Standup', meetingId: 'mt1', createdAt: AT, unread: 1 });
  });

  it('counts unread and finds the newest message by the messages index', () => {
    const db = open();
    assertUsesIndex(
      db,
      'SELECT count(*) FROM messages m WHERE m.conversation_id = ? AND m.seq > ? AND m.author_id IS NOT ? AND m.deleted = 0',
      ['c1', 3, 'u-me'],
      'messages_by_seq',
    );
    assertUsesIndex(
      db,
      'SELECT m.client_id FROM messages m WHERE m.conversation_id = ? AND m.seq IS NULL ORDER BY m.local_id DESC LIMIT 1',
      ['c1'],
      'messages_by_seq',
    );
    assertUsesIndex(
      db,
      'SELECT m.client_id FROM messages m WHERE m.conversation_id = ? AND m.seq IS NOT NULL ORDER BY m.seq DESC LIMIT 1',
      ['c1'],
      'messages_by_seq',
    );
  });
});

describe('private conversations in the cache', () => {
  const group = (over: Partial<CachedConversation> = {}): CachedConversation => ({
    id: 'g1',
    organisationId: 'o1',
    kind: 'group',
    meetingId: null,
    name: '',
    private: true,
    archivedAt: null,
    memberIds: ['u-me', 'u-ada', 'u-grace'],
    createdBy: 'u-ada',
    latestSeq: 0,
    createdAt: AT,
    self: { role: 'member', visibleFromSeq: 0, lastReadSeq: 0, left: false },
    ...over,
  });
  const by = (authorId: string, seq: number, body: string, conversationId = 'g1'): ChatEvent => ({
    ...message(seq, body),
    authorId,
    conversationId,
  });

  it('keeps members in order with their names, the user’s role, and counts mentions among the unread', () => {
    const db = open();
    writes.upsertUsers(db, [
      { id: 'u-me', name: 'Linus Torvalds' },
      { id: 'u-ada', name: 'Ada Lovelace' },
    ]);
    expect(writes.upsertConversations(db, { conversations: [group()], list: false })).toEqual(['g1']);
    // The same again changes nothing, so nobody is told.
    expect(writes.upsertConversations(db, { conversations: [group()], list: false })).toEqual([]);
    writes.applyChatEvents(db, {
      conversationId: 'g1',
      events: [by('u-ada', 1, 'hello all'), by('u-ada', 2, '@Linus have a look'), by('u-me', 3, '@Linus note to self')],
    });
    const [summary] = reads.conversationSummaries(db, { ids: ['g1'], selfId: 'u-me' });
    expect(summary).toMatchObject({
      kind: 'group',
      private: true,
      role: 'member',
      unread: 2,
      mentions: 1,
      members: [
        { id: 'u-me', name: 'Linus Torvalds' },
        { id: 'u-ada', name: 'Ada Lovelace' },
        // Not yet named by the people list: the id stands in.
        { id: 'u-grace', name: 'u-grace' },
      ],
    });
    // Someone leaves: the list follows, read positions of those who stay are kept.
    expect(writes.setReceipt(db, { conversationId: 'g1', userId: 'u-ada', seq: 2, self: false })).toBe(true);
    writes.upsertConversations(db, { conversations: [group({ memberIds: ['u-me', 'u-ada'] })], list: false });
    expect(reads.receipts(db, { conversationId: 'g1', selfId: 'u-me' })).toEqual([
      { userId: 'u-ada', name: 'Ada Lovelace', seq: 2 },
    ]);
  });

  it('starts someone added without history at what they may see, and takes the server’s read position, never back', () => {
    const db = open();
    writes.upsertConversations(db, {
      conversations: [
        group({ latestSeq: 7, self: { role: 'member', visibleFromSeq: 5, lastReadSeq: 6, left: false } }),
      ],
      list: false,
    });
    expect(reads.conversation(db, 'g1')?.syncedSeq).toBe(5);
    // Seq 6 follows on at once: no gap before it.
    expect(writes.applyChatEvents(db, { conversationId: 'g1', events: [by('u-ada', 6, 'six')] })).toMatchObject({
      gap: false,
      syncedSeq: 6,
    });
    expect(reads.readSeq(db, 'g1')).toBe(6);
    // Read elsewhere: the user's own receipt moves the local position, never back.
    expect(writes.setReceipt(db, { conversationId: 'g1', userId: 'u-me', seq: 7, self: true })).toBe(true);
    expect(writes.setReceipt(db, { conversationId: 'g1', userId: 'u-me', seq: 3, self: true })).toBe(false);
    expect(reads.readSeq(db, 'g1')).toBe(7);
  });

  it('forgets a conversation the user no longer reads: messages, search hits, reactions and unsent messages', () => {
    const db = open();
    writes.upsertConversations(db, {
      conversations: [group(), group({ id: 'g2', memberIds: ['u-me', 'u-ada'] })],
      list: false,
    });
    writes.applyChatEvents(db, { conversationId: 'g1', events: [by('u-ada', 1, 'confidential roadmap')] });
    writes.applyChatEvents(db, { conversationId: 'g2', events: [by('u-ada', 1, 'public roadmap', 'g2')] });
    writes.enqueueMessage(db, {
      conversationId: 'g1',
      clientId: randomUUID(),
      authorId: 'u-me',
      body: 'roadmap reply',
      at: AT,
    });
    expect(reads.search(db, { query: 'roadmap', limit: 10 })).toHaveLength(3);
    expect(writes.dropPrivateExcept(db, { keep: ['g2'] })).toEqual(['g1']);
    expect(reads.conversation(db, 'g1')).toBeNull();
    expect(reads.search(db, { query: 'roadmap', limit: 10 }).map((h) => h.message.conversationId)).toEqual(['g2']);
    expect(reads.outboxSize(db, null)).toBe(0);
    expect(reads.receipts(db, { conversationId: 'g1', selfId: 'u-me' })).toEqual([]);
  });

  it('marks a public channel left and joined again', () => {
    const db = open();
    writes.upsertConversations(db, {
      conversations: [group({ id: 'c1', kind: 'channel', name: 'general', private: false, memberIds: null })],
      list: false,
    });
    expect(writes.setLeft(db, { conversationId: 'c1', left: true })).toBe(true);
    expect(writes.setLeft(db, { conversationId: 'c1', left: true })).toBe(false);
    expect(reads.conversation(db, 'c1')).toMatchObject({ left: true, members: null, private: false });
    // A public channel is never dropped for missing from a list of private ones.
    expect(writes.dropPrivateExcept(db, { keep: [] })).toEqual([]);
  });
});

describe('transcript cache', () => {
  const segment = (id: string, meetingId: string, at: string, text: string, name = 'Grace Demo') => ({
    id,
    meetingId,
    speaker: { userId: name === 'Guest' ? null : `u-${name}`, name },
    startedAt: at,
    endedAt: at,
    text,
  });

  it('keeps a meeting transcript whole, replaces it, and reads it oldest first', () => {
    const db = open();
    expect(reads.transcript(db, 'm1')).toBeNull();
    writes.keepTranscript(db, {
      meetingId: 'm1',
      meetingTitle: 'Budget review',
      segments: [
        segment('s2', 'm1', '2026-11-26T10:00:05.000Z', 'The budget is due on Friday.'),
        segment('s1', 'm1', '2026-11-26T10:00:01.000Z', 'Good morning everyone.', 'Guest'),
      ],
      at: AT,
    });
    expect(reads.transcript(db, 'm1')).toEqual({
      meetingTitle: 'Budget review',
      segments: [
        segment('s1', 'm1', '2026-11-26T10:00:01.000Z', 'Good morning everyone.', 'Guest'),
        segment('s2', 'm1', '2026-11-26T10:00:05.000Z', 'The budget is due on Friday.'),
      ],
    });
    // The server's transcript grew while the meeting ran: the next fetch replaces the copy.
    writes.keepTranscript(db, {
      meetingId: 'm1',
      meetingTitle: 'Budget review (renamed)',
      segments: [
        segment('s1', 'm1', '2026-11-26T10:00:01.000Z', 'Good morning everyone.', 'Guest'),
        segment('s2', 'm1', '2026-11-26T10:00:05.000Z', 'The budget is due on Friday.'),
        segment('s3', 'm1', '2026-11-26T10:00:09.000Z', 'Grace will send it.'),
      ],
      at: AT,
    });
    const kept = reads.transcript(db, 'm1');
    expect(kept?.meetingTitle).toBe('Budget review (renamed)');
    expect(kept?.segments.map((s) => s.id)).toEqual(['s1', 's2', 's3']);
    assertUsesIndex(
      db,
      'SELECT id FROM transcript_segments s WHERE s.meeting_id = ? ORDER BY s.started_at, s.id',
      ['m1'],
      'transcript_segments_by_meeting',
    );
  });

  it('finds segments by word prefixes, newest first, with a marked snippet, and forgets them with the account', () => {
    const db = open();
    writes.keepTranscript(db, {
      meetingId: 'm1',
      meetingTitle: 'Budget review',
      segments: [segment('s1', 'm1', '2026-11-26T10:00:01.000Z', 'Grace, please send the budget by Friday.')],
      at: AT,
    });
    writes.keepTranscript(db, {
      meetingId: 'm2',
      meetingTitle: 'Planning',
      segments: [
        segment('s2', 'm2', '2026-11-27T10:00:01.000Z', 'The budgets for next year.'),
        segment('s3', 'm2', '2026-11-27T10:00:02.000Z', 'Nothing about money.'),
      ],
      at: AT,
    });
    const hits = reads.searchTranscripts(db, { query: 'budget', limit: 10 });
    expect(hits.map((h) => [h.meetingTitle, h.segment.id])).toEqual([
      ['Planning', 's2'],
      ['Budget review', 's1'],
    ]);
    expect(hits[1]?.snippet).toBe('Grace, please send the \u0002budget\u0003 by Friday.');
    expect(reads.searchTranscripts(db, { query: 'budget friday', limit: 10 }).map((h) => h.segment.id)).toEqual(['s1']);
    expect(reads.searchTranscripts(db, { query: 'budget', limit: 1 })).toHaveLength(1);
    expect(reads.searchTranscripts(db, { query: '  ', limit: 10 })).toEqual([]);
    // A replaced transcript leaves the index with its old text.
    writes.keepTranscript(db, { meetingId: 'm2', meetingTitle: 'Planning', segments: [], at: AT });
    expect(reads.searchTranscripts(db, { query: 'budget', limit: 10 }).map((h) => h.segment.id)).toEqual(['s1']);
    writes.clearAccount(db, { keepKeys: [] });
    expect(reads.searchTranscripts(db, { query: 'budget', limit: 10 })).toEqual([]);
    expect(reads.transcript(db, 'm1')).toBeNull();
  });

  it('narrows by speaker and time before the limit, so newer hits outside the filter do not hide one', () => {
    const db = open();
    const newer = Array.from({ length: 5 }, (_, i) =>
      segment(`n${i}`, 'm1', `2026-11-27T10:00:0${i}.000Z`, `Budget item ${i}.`, 'Ada Demo'),
    );
    writes.keepTranscript(db, {
      meetingId: 'm1',
      meetingTitle: 'Budget review',
      segments: [segment('g1', 'm1', '2026-11-26T10:00:00.000Z', 'The budget is mine.'), ...newer],
      at: AT,
    });
    const ids = (filter: { from?: string; after?: string; before?: string }) =>
      reads.searchTranscripts(db, { query: 'budget', limit: 2, ...filter }).map((h) => h.segment.id);
    expect(ids({})).toEqual(['n4', 'n3']);
    expect(ids({ from: 'u-Grace Demo' })).toEqual(['g1']);
    expect(ids({ before: '2026-11-27T00:00:00.000Z' })).toEqual(['g1']);
    expect(ids({ after: '2026-11-27T10:00:01.000Z', before: '2026-11-27T10:00:03.000Z' })).toEqual(['n2', 'n1']);
    expect(ids({ from: 'u-Grace Demo', after: '2026-11-26T10:00:00.001Z' })).toEqual([]);
  });
});
