import type { ChatMessageView, ConversationSummary } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { chatsOf, directWith, permissions, seenBy, seenByText, setAside, showsReceipts, titleOf } from './chats.ts';
import { createTranslator } from '../i18n/translator.ts';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 26, 9, minutes)).toISOString();

const conversation = (id: string, over: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id,
  kind: 'group',
  name: '',
  meetingId: null,
  syncedSeq: 0,
  lastOpenedAt: null,
  private: true,
  archivedAt: null,
  members: [
    { id: 'me', name: 'Ada Lovelace' },
    { id: 'g', name: 'Grace Hopper' },
    { id: 'l', name: 'Linus Torvalds' },
  ],
  role: 'member',
  left: false,
  createdAt: at(0),
  readSeq: 0,
  unread: 0,
  mentions: 0,
  lastMessage: null,
  ...over,
});

const message = (seq: number | null, authorId = 'me'): ChatMessageView => ({
  conversationId: 'c',
  clientId: `m${seq ?? 'x'}`,
  seq,
  authorId,
  authorName: authorId,
  body: 'hi',
  sentAt: at(1),
  editedAt: null,
  deleted: false,
  status: seq === null ? 'pending' : 'sent',
  failure: null,
  version: seq ?? 0,
  threadOf: null,
  replyCount: 0,
  lastReplyAt: null,
  reactions: [],
  files: [],
  urgent: false,
});

describe('chat lists', () => {
  it('names direct chats by the other person and unnamed groups by their people', () => {
    const dm = conversation('d', {
      kind: 'direct',
      members: [
        { id: 'me', name: 'Ada Lovelace' },
        { id: 'g', name: 'Grace Hopper' },
      ],
    });
    expect(titleOf(dm, 'me')).toBe('Grace Hopper');
    expect(titleOf(conversation('g1'), 'me')).toBe('Grace Hopper and Linus Torvalds');
    expect(titleOf(conversation('g2', { name: 'Compilers' }), 'me')).toBe('Compilers');
    expect(titleOf(undefined, 'me')).toBe('Chat');
    expect(directWith([conversation('g1'), dm], 'me', 'g')?.id).toBe('d');
    expect(directWith([conversation('g1'), dm], 'me', 'l')).toBeUndefined();
  });

  it('lists active chats by activity and sets archived and left ones aside', () => {
    const old = conversation('old', { createdAt: at(1) });
    const recent = conversation('recent', { createdAt: at(5) });
    const archived = conversation('archived', { archivedAt: at(9), name: 'Old plans' });
    const left = conversation('left', { kind: 'channel', private: false, members: null, left: true, name: 'random' });
    expect(chatsOf([old, recent, archived, left], 'group').map((c) => c.id)).toEqual(['recent', 'old']);
    expect(setAside([old, recent, archived, left]).map((c) => c.id)).toEqual(['archived', 'left']);
  });

  it('says who has seen the newest message, never its author, nothing while it is pending', () => {
    const receipts = [
      { userId: 'g', name: 'Grace', seq: 3 },
      { userId: 'l', name: 'Linus', seq: 2 },
    ];
    expect(seenBy(message(2), receipts)).toEqual(['Grace', 'Linus']);
    expect(seenBy(message(3), receipts)).toEqual(['Grace']);
    expect(seenBy(message(3, 'g'), receipts)).toEqual([]);
    expect(seenBy(message(null), receipts)).toEqual([]);
    expect(seenByText(['Grace'], 1)).toBe('Seen by Grace');
    expect(seenByText(['Grace', 'Linus'], 2)).toBe('Seen by everyone');
    expect(seenByText(['Grace', 'Linus'], 3)).toBe('Seen by Grace and Linus');
    expect(seenByText([], 2)).toBeNull();
    expect(seenByText(['Grace', 'Linus', 'Ada'], 4, createTranslator('ja'))).toBe('Grace、Linus、Ada が既読');
    expect(showsReceipts(conversation('g'))).toBe(true);
    expect(showsReceipts(conversation('c', { kind: 'channel' }))).toBe(false);
  });

  it('offers what the server allows: owners manage private channels, admins and creators public ones', () => {
    const member = { id: 'me', role: 'member' as const };
    const admin = { id: 'me', role: 'admin' as const };
    const privateChannel = conversation('p', { kind: 'channel', name: 'board' });
    expect(permissions(privateChannel, member)).toMatchObject({
      rename: false,
      remove: false,
      invite: true,
      leave: true,
    });
    expect(permissions({ ...privateChannel, role: 'owner' }, member)).toMatchObject({ rename: true, remove: true });
    const publicChannel = conversation('c', { kind: 'channel', private: false, members: null, role: null, name: 'x' });
    expect(permissions(publicChannel, member)).toMatchObject({ rename: false, archive: false, members: false });
    expect(permissions(publicChannel, admin)).toMatchObject({ rename: true, archive: true });
    expect(permissions({ ...publicChannel, left: true }, member)).toMatchObject({ leave: false, join: true });
    expect(permissions(conversation('g'), member)).toMatchObject({ rename: true, archive: false, remove: true });
    expect(permissions(conversation('d', { kind: 'direct' }), admin)).toMatchObject({ leave: false, rename: false });
  });
});
