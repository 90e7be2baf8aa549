import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { chatStore, type NewChatEvent } from './chat.ts';
import { queryPlan, recordedOrganisation, scratchDir } from './testMigrations.ts';

const dir = scratchDir('tandem-chat-plans-');
const now = '2026-12-05T10:00:00.000Z';

describe('the chat store’s appends on SQLite', () => {
  it('read chat events only by their keys, with their limits written in: no statement walks a conversation, however long it is', async () => {
    const file = path.join(dir, 'plans.db');
    // The store's statements, as prepared, on a file with an organisation.
    const { user: ada, channel, db, prepared } = await recordedOrganisation(file, now);
    const conversationId = channel.id;
    try {
      const chat = chatStore(db);
      const message = (n: number): NewChatEvent => ({
        conversationId,
        clientId: `m-${n}`,
        messageId: `m-${n}`,
        authorId: ada.id,
        type: 'message',
        body: `message ${n}`,
        createdAt: now,
      });
      const reaction = (type: 'react' | 'unreact', n: number): NewChatEvent => ({
        ...message(1),
        clientId: `${type}-${n}`,
        type,
        body: null,
        emoji: '👍',
      });
      await chat.appendAll([message(1), message(2)]);
      await chat.append(message(3));
      await chat.append({ ...message(4), threadOf: 'm-1' });
      await chat.append(reaction('react', 1));
      await chat.append(reaction('unreact', 2));
      await chat.appendAll([reaction('react', 3), message(5)]);
      // Only reactions keep an emoji: the reaction lookup reads them by it alone.
      await chat.append({ ...message(6), emoji: '👍' });
      // A resend is answered with the stored event.
      expect((await chat.append(message(5))).created).toBe(false);
      await expect(chat.append(reaction('react', 4))).rejects.toThrow();
      expect(await chat.target(conversationId, 'm-1', 'react-5')).toMatchObject({ resend: false, deleted: false });
    } finally {
      await db.destroy();
    }

    const onEvents = [...prepared].filter((text) => text.includes('"chat_events"'));
    expect(onEvents.length).toBeGreaterThan(3);
    const check = new SqliteDatabase(file, { readonly: true });
    const withEmoji = check.prepare(`select type from chat_events where emoji is not null`).pluck().all();
    check.close();
    expect(new Set(withEmoji)).toEqual(new Set(['react', 'unreact']));
    for (const text of onEvents) {
      // SQLite runs a statement with a bound LIMIT several times slower (chat.ts, latestReaction).
      expect(text, text).not.toMatch(/limit \?/i);
      const plan = queryPlan(file, text);
      // A scan, or a search by the conversation alone, reads every event of the conversation.
      expect(plan, text).not.toMatch(/^SCAN |\(conversation_id=\?\)$/m);
    }
  });
});
