import type { ChatMessageView, DecisionView } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { mergeDecisions, mergeMessages } from './merge.ts';

const message = (clientId: string, seq: number | null, sentAt = '2026-11-26T10:00:00.000Z'): ChatMessageView => ({
  conversationId: 'c1',
  clientId,
  seq,
  authorId: 'u1',
  authorName: 'Ada',
  body: clientId,
  sentAt,
  editedAt: null,
  deleted: false,
  failure: null,
  version: 0,
  threadOf: null,
  replyCount: 0,
  lastReplyAt: null,
  reactions: [],
  files: [],
  urgent: false,
  status: seq === null ? 'pending' : 'sent',
});

describe('mergeMessages', () => {
  it('orders sent messages by seq and keeps pending ones last, in writing order', () => {
    const merged = mergeMessages(
      [message('p2', null, '2026-11-26T10:00:02.000Z'), message('b', 2)],
      [message('p1', null, '2026-11-26T10:00:01.000Z'), message('a', 1)],
    );
    expect(merged.map((m) => m.clientId)).toEqual(['a', 'b', 'p1', 'p2']);
  });

  it('replaces a pending message with its acknowledged copy, showing it once', () => {
    const merged = mergeMessages([message('x', null)], [message('x', 7)]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ seq: 7, status: 'sent' });
  });

  it('ignores a pending echo arriving after the acknowledgement', () => {
    expect(mergeMessages([message('x', 7)], [message('x', null)])[0]?.seq).toBe(7);
  });

  it('keeps reactions and reply counts from the newest event over a copy read before it', () => {
    const ada = { id: 'u1', name: 'Ada' };
    const grace = { id: 'u2', name: 'Grace' };
    const hers = { ...message('x', 7), version: 9, reactions: [{ emoji: '👍' as const, users: [ada] }] };
    const both = { ...message('x', 7), version: 10, reactions: [{ emoji: '👍' as const, users: [ada, grace] }] };
    expect(mergeMessages([both], [hers])[0]?.reactions[0]?.users).toEqual([ada, grace]);
    expect(mergeMessages([hers], [both])[0]?.reactions[0]?.users).toEqual([ada, grace]);
    // Taken back: fewer reactions, yet newer.
    const none = { ...message('x', 7), version: 11, reactions: [] };
    expect(mergeMessages([both], [none])[0]?.reactions).toEqual([]);
    const replied = { ...message('x', 7), version: 12, replyCount: 1, lastReplyAt: '2026-11-26T10:03:00.000Z' };
    expect(mergeMessages([replied], [none])[0]?.replyCount).toBe(1);
  });

  it('keeps the latest edit and a deletion over copies read before them', () => {
    const first = { ...message('x', 7), body: 'first edit', editedAt: '2026-11-26T10:01:00.000Z' };
    const second = { ...message('x', 7), body: 'second edit', editedAt: '2026-11-26T10:02:00.000Z' };
    const deleted = { ...second, body: '', deleted: true };
    expect(mergeMessages([second], [first])[0]?.body).toBe('second edit');
    expect(mergeMessages([second], [message('x', 7)])[0]?.body).toBe('second edit');
    expect(mergeMessages([first], [second])[0]?.body).toBe('second edit');
    expect(mergeMessages([deleted], [second])[0]).toMatchObject({ deleted: true, body: '' });
    expect(mergeMessages([second], [deleted])[0]).toMatchObject({ deleted: true, body: '' });
  });

  it('shows a failed message, then pending again on retry', () => {
    const failed = {
      ...message('x', null),
      status: 'failed' as const,
      failure: { code: 'forbidden' as const, message: 'no' },
    };
    expect(mergeMessages([message('x', null)], [failed])[0]?.status).toBe('failed');
    expect(mergeMessages([failed], [message('x', null)])[0]).toMatchObject({ status: 'pending', failure: null });
  });
});

describe('mergeDecisions', () => {
  const decision = (clientId: string, updatedAt: string, title = clientId): DecisionView => ({
    clientId,
    id: null,
    meetingId: 'm1',
    moment: null,
    message: null,
    title,
    detail: '',
    outcome: '',
    ownerId: null,
    dueDate: null,
    status: 'agreed',
    version: 0,
    updatedAt,
    deliveryStatus: 'pending',
  });

  it('keeps one entry per decision, newest first', () => {
    const merged = mergeDecisions(
      [decision('a', '2026-11-26T10:00:00.000Z'), decision('b', '2026-11-26T10:01:00.000Z')],
      [decision('a', '2026-11-26T10:02:00.000Z', 'renamed')],
    );
    expect(merged.map((d) => [d.clientId, d.title])).toEqual([
      ['a', 'renamed'],
      ['b', 'b'],
    ]);
  });

  it('shows a decision once when it arrived under its server id before our own acknowledgement', () => {
    const live = { ...decision('server-1', '2026-11-26T10:00:00.000Z'), id: 'server-1' };
    const acknowledged = { ...decision('mine', '2026-11-26T10:00:01.000Z'), id: 'server-1' };
    const merged = mergeDecisions([decision('mine', '2026-11-26T09:59:59.000Z'), live], [acknowledged]);
    expect(merged.map((d) => [d.clientId, d.id])).toEqual([['mine', 'server-1']]);
  });
});
