import type { AuthSession, Meeting } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPerson,
  connectWs,
  drained,
  letIn,
  resume,
  signUp,
  startTestServer,
  type TestServer,
  type WsClient,
} from './testSupport.ts';

const livekit = inject('livekit');

const typingOf = (client: WsClient) => client.received.filter((m) => m.type === 'typing');

/** Opens a socket for `who`; `live`: it resumed, so it follows every conversation `who` may read. */
async function follower(server: TestServer, who: AuthSession, live: boolean): Promise<WsClient> {
  const client = await connectWs(server.url, who.tokens.accessToken);
  if (live) await resume(client);
  return client;
}

describe('typing signals over the real WebSocket', () => {
  let server: TestServer;
  let owner: AuthSession;
  let member: AuthSession;
  let guest: AuthSession;
  let channelId: string;
  let meeting: Meeting;
  const open: WsClient[] = [];
  const track = (client: WsClient): WsClient => {
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer(livekit);
    owner = await signUp(server.api, 'typing-owner');
    member = await addPerson(server.api, owner, 'typing-member', 'member');
    guest = await addPerson(server.api, owner, 'typing-guest', 'guest');
    const t = owner.tokens.accessToken;
    channelId = (await server.api.ok('createChannel', { token: t, body: { name: 'typing' } })).id;
    meeting = await server.api.ok('createMeeting', {
      token: t,
      body: { title: 'Typing with a visitor', invitees: [guest.user.id] },
    });
    await letIn(server.api, owner, guest, meeting.id);
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await server?.close();
  });

  it('reaches the others following the conversation, with the writer’s name; never the writer, never stored', async () => {
    const before = (
      await server.api.ok('getConversation', { token: owner.tokens.accessToken, params: { conversationId: channelId } })
    ).latestSeq;
    const writer = track(await follower(server, member, true));
    // The writer's other device follows the channel too: it hears nothing of its own typing.
    const writersOther = track(await follower(server, member, true));
    const reader = track(await follower(server, owner, true));
    // Same organisation, but this socket has not resumed: it follows nothing yet.
    const elsewhere = track(await follower(server, owner, false));
    const stranger = await signUp(server.api, 'typing-stranger');
    const outsider = track(await follower(server, stranger, false));

    writer.send({ type: 'typing', conversationId: channelId, typing: true });
    expect(await reader.next('typing')).toEqual({
      type: 'typing',
      conversationId: channelId,
      userId: member.user.id,
      name: 'typing-member',
      typing: true,
    });
    writer.send({ type: 'typing', conversationId: channelId, typing: false });
    await reader.next('typing', (m) => !m.typing);

    await drained(writer);
    for (const c of [writer, writersOther, elsewhere, outsider]) {
      await drained(c);
      expect(typingOf(c)).toEqual([]);
    }
    expect(writer.received.filter((m) => m.type === 'error')).toEqual([]);
    const after = await server.api.ok('getConversation', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId },
    });
    expect(after.latestSeq).toBe(before);
  });

  it('follows the guest rules: a guest hears and is heard in their meeting only', async () => {
    const inMeeting = track(await follower(server, owner, true));
    const visitor = track(await follower(server, guest, true));

    inMeeting.send({ type: 'typing', conversationId: meeting.conversationId, typing: true });
    await visitor.next('typing', (m) => m.conversationId === meeting.conversationId && m.userId === owner.user.id);
    visitor.send({ type: 'typing', conversationId: meeting.conversationId, typing: true });
    await inMeeting.next('typing', (m) => m.userId === guest.user.id);

    // The guest does not follow the channel, and cannot signal into it.
    visitor.send({ type: 'typing', conversationId: channelId, typing: true });
    const refused = await visitor.next('error', (m) => m.ref === 'typing');
    expect(refused.error.code).toBe('not_found');
    inMeeting.send({ type: 'typing', conversationId: channelId, typing: true });
    await drained(inMeeting);
    await drained(visitor);
    expect(typingOf(visitor).map((m) => m.conversationId)).toEqual([meeting.conversationId]);
    expect(typingOf(inMeeting).filter((m) => m.conversationId === channelId)).toEqual([]);
  });

  it('is refused where no message could be written: a meeting with chat off', async () => {
    const t = owner.tokens.accessToken;
    const quiet = await server.api.ok('createMeeting', {
      token: t,
      body: { title: 'No chat here', settings: { chat: false } },
    });
    const writer = track(await follower(server, owner, false));
    const reader = track(await follower(server, member, true));
    writer.send({ type: 'typing', conversationId: quiet.conversationId, typing: true });
    expect((await writer.next('error', (m) => m.ref === 'typing')).error.code).toBe('forbidden');
    await drained(reader);
    expect(typingOf(reader)).toEqual([]);
  });

  it('is rate-limited per person: past 60 a minute, signals are answered rate_limited and dropped', async () => {
    const hasty = await addPerson(server.api, owner, 'typing-hasty', 'member');
    const writer = track(await follower(server, hasty, false));
    const reader = track(await follower(server, owner, true));
    for (let i = 0; i < 65; i += 1) writer.send({ type: 'typing', conversationId: channelId, typing: i % 2 === 0 });
    await drained(writer);
    await drained(reader);
    const limited = writer.received.filter((m) => m.type === 'error' && m.ref === 'typing');
    expect(limited).toHaveLength(5);
    expect(limited.every((m) => m.type === 'error' && m.error.code === 'rate_limited')).toBe(true);
    expect(typingOf(reader).filter((m) => m.userId === hasty.user.id)).toHaveLength(60);
  });
});
