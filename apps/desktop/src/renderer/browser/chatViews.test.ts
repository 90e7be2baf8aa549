import type { ChatEvent } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { foldChatEvents } from './chatViews.ts';

const base = { conversationId: 'c1', authorId: 'u-ada', createdAt: '2026-12-02T10:00:00.000Z' };
const message = (seq: number, id: string, body: string): ChatEvent => ({
  ...base,
  type: 'message',
  seq,
  clientId: id,
  messageId: id,
  body,
});
const names = (id: string) => (id === 'u-ada' ? 'Ada Demo' : 'Someone');

describe('folding chat events into views (the browser client has no cache)', () => {
  it('makes views, applies edits and deletes, and reports each changed message once', () => {
    const first = foldChatEvents(new Map(), [message(1, 'm1', 'hello'), message(2, 'm2', 'typo')], names);
    expect(first.changed.map((v) => [v.clientId, v.body, v.authorName])).toEqual([
      ['m1', 'hello', 'Ada Demo'],
      ['m2', 'typo', 'Ada Demo'],
    ]);
    const edited = foldChatEvents(
      first.views,
      [
        {
          ...base,
          type: 'edit',
          seq: 3,
          clientId: 'e1',
          messageId: 'm2',
          body: 'fixed',
          createdAt: '2026-12-02T10:01:00.000Z',
        },
        { ...base, type: 'delete', seq: 4, clientId: 'd1', messageId: 'm1' },
      ],
      names,
    );
    expect(edited.views.get('m2')).toMatchObject({ body: 'fixed', editedAt: '2026-12-02T10:01:00.000Z' });
    expect(edited.views.get('m1')).toMatchObject({ body: '', deleted: true });
    expect(edited.changed).toHaveLength(2);
    // The first map is untouched: folds never mutate what they were given.
    expect(first.views.get('m1')?.deleted).toBe(false);
  });

  it('counts replies on their root and folds reactions per person and emoji', () => {
    const root = foldChatEvents(new Map(), [message(1, 'm1', 'question')], names);
    const reply: ChatEvent = {
      ...base,
      type: 'message',
      seq: 2,
      clientId: 'r1',
      messageId: 'r1',
      body: 'answer',
      threadOf: 'm1',
    };
    const react = (seq: number, type: 'react' | 'unreact', authorId: string): ChatEvent => ({
      ...base,
      authorId,
      type,
      seq,
      clientId: `x${seq}`,
      messageId: 'm1',
      emoji: '👍',
    });
    const folded = foldChatEvents(
      root.views,
      [reply, react(3, 'react', 'u-ada'), react(4, 'react', 'u-grace'), react(5, 'unreact', 'u-ada')],
      names,
    );
    expect(folded.views.get('r1')).toMatchObject({ threadOf: 'm1', replyCount: 0 });
    expect(folded.views.get('m1')).toMatchObject({
      replyCount: 1,
      lastReplyAt: base.createdAt,
      version: 5,
      reactions: [{ emoji: '👍', users: [{ id: 'u-grace', name: 'Someone' }] }],
    });
  });

  it('skips a message seen twice and edits of messages it never held', () => {
    const once = foldChatEvents(new Map(), [message(1, 'm1', 'hello')], names);
    const twice = foldChatEvents(once.views, [message(1, 'm1', 'hello')], names);
    expect(twice.changed).toEqual([]);
    const stray = foldChatEvents(
      new Map(),
      [{ ...base, type: 'edit', seq: 5, clientId: 'e9', messageId: 'gone', body: 'x' }],
      names,
    );
    expect(stray.views.size).toBe(0);
  });
});
