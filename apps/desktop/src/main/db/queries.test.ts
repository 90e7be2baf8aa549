import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ChatEvent, Decision, Meeting } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './open.ts';
import { reads, writes } from './queries.ts';
import { assertUsesIndex } from './queryPlan.ts';
import { useTempFolder } from './testing.ts';

const tempDir = useTempFolder();
const open = () => openDatabase(path.join(tempDir(), 'cache.db'));
const AT = '2026-11-26T10:00:00.000Z';

function message(seq: number, body: string, clientId = randomUUID()): ChatEvent {
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
    assertUsesIndex(
      db,
      `SELECT client_id FROM messages m WHERE m.conversation_id = ? AND (m.seq < ? OR (m.seq IS NULL AND ? IS NULL))`,
      ['c1', 5, null],
      'messages_by_seq',
    );
    assertUsesIndex(
      db,
      'SELECT record FROM decisions WHERE meeting_id = ? ORDER BY updated_at DESC',
      ['m1'],
      'decisions_by_meeting',
    );
    assertUsesIndex(
      db,
      'SELECT * FROM conversations WHERE last_opened_at IS NOT NULL ORDER BY last_opened_at DESC LIMIT 5',
      [],
      'conversations_recent',
    );
    expect(() => assertUsesIndex(db, 'SELECT * FROM messages WHERE body = ?', ['x'], 'messages_by_seq')).toThrow(
      /expected the plan/,
    );
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
      conversationId: randomUUID(),
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
  });
});
