import { randomUUID } from 'node:crypto';
import { LIMITS, type AuthSession, type ChatEvent } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectWs, resume, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');
const CONVERSATIONS = 5_000;

/** Runs `task` for 0…n-1, `width` at a time. */
async function inParallel(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

describe(`resuming a person who follows ${CONVERSATIONS} conversations, over the real WebSocket`, () => {
  let server: TestServer;
  let owner: AuthSession;
  const channels: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(livekit, {
      rateLimits: { signInPerMinute: 1000, messagesPerMinute: 100 * CONVERSATIONS },
    });
    owner = await signUp(server.api, 'resume-owner');
    await inParallel(CONVERSATIONS, 8, async (i) => {
      const c = await server.api.ok('createChannel', { token: owner.tokens.accessToken, body: { name: `c-${i}` } });
      channels[i] = c.id;
    });
  }, 120_000);
  afterAll(() => server?.close());

  it('resumes all of them with one small frame and delivers what was missed exactly once, then live', async () => {
    const listed = await server.api.ok('listConversations', { token: owner.tokens.accessToken });
    expect(listed.conversations).toHaveLength(CONVERSATIONS);

    const first = await connectWs(server.url, owner.tokens.accessToken);
    const { cursor } = await resume(first);
    first.close();
    await first.closed;

    // While away: one message in every conversation, and a second in the first hundred.
    const missed = new Map<string, ChatEvent[]>();
    const post = async (conversationId: string, body: string) => {
      const event = await server.api.ok('sendMessage', {
        token: owner.tokens.accessToken,
        params: { conversationId },
        body: { clientId: randomUUID(), body },
      });
      missed.set(conversationId, [...(missed.get(conversationId) ?? []), event]);
    };
    await inParallel(CONVERSATIONS, 8, (i) => post(channels[i] ?? '', `missed ${i}`));
    for (let i = 0; i < 100; i += 1) await post(channels[i] ?? '', `missed again ${i}`);

    const again = await connectWs(server.url, owner.tokens.accessToken);
    const frame = JSON.stringify({ type: 'resume', cursor });
    expect(Buffer.byteLength(frame)).toBeLessThan(LIMITS.wsMessageBytes);
    const marker = await resume(again, cursor);
    expect(marker).toEqual({ type: 'resumed', cursor: cursor + CONVERSATIONS + 100, reset: false });

    const replayed = again.received.flatMap((m) => (m.type === 'chat.event' ? [m] : []));
    expect(replayed).toHaveLength(CONVERSATIONS + 100);
    // Offsets ascend one by one, and every conversation's events arrive once, in seq order.
    expect(replayed.map((m) => m.offset)).toEqual(replayed.map((_, i) => cursor + i + 1));
    const byConversation = new Map<string, ChatEvent[]>();
    for (const { event } of replayed) {
      byConversation.set(event.conversationId, [...(byConversation.get(event.conversationId) ?? []), event]);
    }
    expect(byConversation.size).toBe(CONVERSATIONS);
    for (const [conversationId, events] of missed) expect(byConversation.get(conversationId)).toEqual(events);
    expect(again.received.some((m) => m.type === 'error')).toBe(false);

    const live = await server.api.ok('sendMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: channels[4_321] ?? '' },
      body: { clientId: randomUUID(), body: 'live again' },
    });
    expect(await again.next('chat.event', (m) => m.event.clientId === live.clientId)).toMatchObject({
      offset: marker.cursor + 1,
    });
    again.close();
  }, 120_000);
});
