import type { ChatMessageView, ConversationSummary } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import {
  CHANNEL_NAME_MAX,
  channelNameProblem,
  channelsByActivity,
  lastOpenedFirst,
  mergeConversations,
  previewOf,
  recentMeetingChats,
} from './conversations.ts';

const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;

const message = (over: Partial<ChatMessageView> = {}): ChatMessageView => ({
  conversationId: 'c1',
  clientId: 'm1',
  seq: 1,
  authorId: 'u-ada',
  authorName: 'Ada',
  body: 'hello',
  sentAt: at(0),
  editedAt: null,
  deleted: false,
  status: 'sent',
  failure: null,
  version: 0,
  threadOf: null,
  replyCount: 0,
  lastReplyAt: null,
  reactions: [],
  files: [],
  urgent: false,
  ...over,
});

const conversation = (id: string, over: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id,
  kind: 'channel',
  name: id,
  meetingId: null,
  syncedSeq: 0,
  lastOpenedAt: null,
  createdAt: at(0),
  readSeq: 0,
  unread: 0,
  mentions: 0,
  lastMessage: null,
  private: false,
  archivedAt: null,
  members: null,
  role: null,
  left: false,
  ...over,
});

describe('conversation lists', () => {
  it('merges by id: an update replaces what it names and adds the rest', () => {
    const held = [conversation('a'), conversation('b')];
    const merged = mergeConversations(held, [conversation('b', { unread: 3 }), conversation('c')]);
    expect(merged.map((c) => [c.id, c.unread])).toEqual([
      ['a', 0],
      ['b', 3],
      ['c', 0],
    ]);
    expect(mergeConversations(held, [])).toBe(held);
  });

  it('lists channels by newest activity (a message, else the creation), equally quiet ones by name', () => {
    const all = [
      conversation('quiet-b', { createdAt: at(1) }),
      conversation('busy', { createdAt: at(0), lastMessage: message({ sentAt: at(9) }) }),
      conversation('meeting', { kind: 'meeting', createdAt: at(30) }),
      conversation('new', { createdAt: at(5) }),
      conversation('quiet-a', { createdAt: at(1) }),
      conversation('unknown', { createdAt: null }),
    ];
    expect(channelsByActivity(all).map((c) => c.id)).toEqual(['busy', 'new', 'quiet-a', 'quiet-b', 'unknown']);
  });

  it('keeps recent chats to meeting chats opened here, the last opened first', () => {
    const all = [
      conversation('standup', { kind: 'meeting', lastOpenedAt: at(1) }),
      conversation('general', { lastOpenedAt: at(9) }),
      conversation('review', { kind: 'meeting', lastOpenedAt: at(5) }),
      conversation('never', { kind: 'meeting' }),
    ];
    expect(recentMeetingChats(all, 10).map((c) => c.id)).toEqual(['review', 'standup']);
    expect(recentMeetingChats(all, 1).map((c) => c.id)).toEqual(['review']);
    expect(lastOpenedFirst(all).map((c) => c.id)).toEqual(['general', 'review', 'standup']);
  });

  it('previews the newest message, and a deleted one as deleted rather than an empty line', () => {
    expect(previewOf(null)).toBe('No messages');
    expect(previewOf(message())).toBe('Ada: hello');
    expect(previewOf(message({ deleted: true, body: '' }))).toBe('Message deleted');
  });

  it('says what is wrong with a new channel’s name', () => {
    const channels = [conversation('c1', { name: 'Launch' }), conversation('m1', { kind: 'meeting', name: 'Standup' })];
    expect(channelNameProblem('   ', channels)).toBe('Give the channel a name.');
    expect(channelNameProblem('x'.repeat(CHANNEL_NAME_MAX + 1), channels)).toMatch(/at most 100 characters/);
    expect(channelNameProblem(' launch ', channels)).toBe('There is already a channel called “Launch”.');
    expect(channelNameProblem('Standup', channels)).toBeNull();
    expect(channelNameProblem(`  ${'x'.repeat(CHANNEL_NAME_MAX)}  `, channels)).toBeNull();
  });
});
