import type { ChatMessageView, ConversationSummary, SessionInfo } from '@tandem/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from './appStore.ts';

const initial = useAppStore.getState();
beforeEach(() => useAppStore.setState(initial, true));

const info: SessionInfo = {
  user: {
    id: 'u1',
    organisationId: 'o1',
    email: 'ada@example.org',
    name: 'Ada',
    role: 'owner',
    status: 'active',
    createdAt: '2026-11-26T09:00:00.000Z',
  },
  organisation: { id: 'o1', name: 'Example', createdAt: '2026-11-26T09:00:00.000Z' },
  serverUrl: 'http://127.0.0.1:8787',
};

const message: ChatMessageView = {
  conversationId: 'c1',
  clientId: 'm1',
  seq: 1,
  authorId: 'u1',
  authorName: 'Ada',
  body: 'hello',
  sentAt: '2026-11-26T10:00:00.000Z',
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
  status: 'sent',
};

describe('app store', () => {
  it('keeps messages per conversation', () => {
    useAppStore.getState().receiveMessages('c1', [message]);
    useAppStore.getState().receiveMessages('c2', [{ ...message, conversationId: 'c2', clientId: 'm2' }]);
    expect(useAppStore.getState().messages['c1']?.map((m) => m.clientId)).toEqual(['m1']);
    expect(useAppStore.getState().messages['c2']?.map((m) => m.clientId)).toEqual(['m2']);
  });

  it('forgets one discarded message and keeps the rest', () => {
    const s = useAppStore.getState();
    s.receiveMessages('c1', [message, { ...message, clientId: 'm2', seq: null, status: 'failed' }]);
    s.forgetMessage('c1', 'm2');
    s.forgetMessage('unknown', 'm1');
    expect(useAppStore.getState().messages['c1']?.map((m) => m.clientId)).toEqual(['m1']);
    expect(useAppStore.getState().messages['unknown']).toBeUndefined();
  });

  it("forgets the account's data and goes home on sign-out, keeping settings", () => {
    const s = useAppStore.getState();
    s.setSession({ status: 'signedIn', info });
    s.setSettings({ ...s.settings, video2160p: true });
    s.receiveMessages('c1', [message]);
    s.navigate({ name: 'search' });
    s.setSession({ status: 'signedOut', reason: 'expired' });
    const after = useAppStore.getState();
    expect(after.messages).toEqual({});
    expect(after.route).toEqual({ name: 'home' });
    expect(after.settings.video2160p).toBe(true);
    expect(after.lastServerUrl).toBe('http://127.0.0.1:8787');
  });

  it('keeps who is typing per conversation, and forgets people, typing and a call panel request on sign-out', () => {
    const s = useAppStore.getState();
    s.setSession({ status: 'signedIn', info });
    s.setPeople([{ id: 'u2', name: 'Grace' }]);
    s.heardTyping('c1', { userId: 'u2', name: 'Grace', typing: true }, 1_000);
    s.heardTyping('c2', { userId: 'u2', name: 'Grace', typing: true }, 1_000);
    s.heardTyping('c2', { userId: 'u2', name: 'Grace', typing: false }, 2_000);
    s.requestCallPanel('chat');
    expect(Object.keys(useAppStore.getState().typing['c1'] ?? {})).toEqual(['u2']);
    expect(useAppStore.getState().typing['c2']).toEqual({});
    s.setSession({ status: 'signedOut' });
    const after = useAppStore.getState();
    expect([after.people, after.typing, after.callPanelRequest]).toEqual([[], {}, null]);
  });

  it('merges conversations by id as main pushes them, and forgets them with their load state on sign-out', () => {
    const s = useAppStore.getState();
    const general: ConversationSummary = {
      id: 'c1',
      kind: 'channel',
      name: 'general',
      meetingId: null,
      syncedSeq: 1,
      lastOpenedAt: null,
      createdAt: '2026-11-26T09:30:00.000Z',
      readSeq: 0,
      unread: 1,
      mentions: 0,
      lastMessage: message,
      private: false,
      archivedAt: null,
      members: null,
      role: null,
      left: false,
    };
    s.setSession({ status: 'signedIn', info });
    expect(useAppStore.getState().conversationsStatus).toEqual({ status: 'idle' });
    s.setConversations([general]);
    s.receiveConversations([{ ...general, id: 'c2', name: 'launch', unread: 0, lastMessage: null }]);
    s.receiveConversations([{ ...general, unread: 0, readSeq: 1 }]);
    expect(useAppStore.getState().conversations.map((c) => [c.name, c.unread])).toEqual([
      ['general', 0],
      ['launch', 0],
    ]);
    expect(useAppStore.getState().conversationsStatus).toEqual({ status: 'ready' });
    s.setSession({ status: 'signedOut' });
    expect(useAppStore.getState().conversations).toEqual([]);
    expect(useAppStore.getState().conversationsStatus).toEqual({ status: 'idle' });
  });
});
