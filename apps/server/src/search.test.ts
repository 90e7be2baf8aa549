import { randomUUID } from 'node:crypto';
import type { AuthSession, ChatEvent, ChatFile } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

describe('message search and membership audit over real HTTP', () => {
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let linus: AuthSession;
  let guest: AuthSession;
  let stranger: AuthSession;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    ada = await signUp(server.api, 'search-ada');
    grace = await addPerson(server.api, ada, 'search-grace', 'member');
    linus = await addPerson(server.api, ada, 'search-linus', 'member');
    guest = await addPerson(server.api, ada, 'search-guest', 'guest');
    stranger = await signUp(server.api, 'search-stranger');
  });
  afterAll(() => server?.close());

  const token = (who: AuthSession) => who.tokens.accessToken;
  const send = async (who: AuthSession, conversationId: string, body: string): Promise<ChatEvent> =>
    server.api.ok('sendMessage', {
      token: token(who),
      params: { conversationId },
      body: { clientId: randomUUID(), body },
    });
  const search = async (who: AuthSession, q: string, conversationId?: string) =>
    (
      await server.api.ok('searchMessages', {
        token: token(who),
        query: conversationId === undefined ? { q } : { q, conversationId },
      })
    ).hits.map((h) => h.body);

  it('finds only what the caller may read: a non-member finds nothing of a direct chat or private group', async () => {
    const direct = await server.api.ok('startDirect', { token: token(ada), body: { userId: grace.user.id } });
    const general = await server.api.ok('createChannel', { token: token(ada), body: { name: 'general' } });
    await send(ada, direct.id, 'Zephyr launch date is the 14th');
    await send(ada, general.id, 'Zephyr launch party on Friday');
    await send(
      stranger,
      (await server.api.ok('createChannel', { token: token(stranger), body: { name: 'x' } })).id,
      'Zephyr elsewhere',
    );

    expect(await search(grace, 'zephyr')).toEqual(['Zephyr launch party on Friday', 'Zephyr launch date is the 14th']);
    expect(await search(linus, 'ZEPHYR')).toEqual(['Zephyr launch party on Friday']);
    expect(await search(guest, 'zephyr')).toEqual([]);
    expect(await search(stranger, 'zephyr')).toEqual(['Zephyr elsewhere']);
    // Narrowed to a conversation the caller may not read: 404, like one that does not exist.
    expect(
      await server.api.call('searchMessages', {
        token: token(linus),
        query: { q: 'zephyr', conversationId: direct.id },
      }),
    ).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await search(grace, 'zephyr', direct.id)).toEqual(['Zephyr launch date is the 14th']);
    // LIKE's wildcards are plain characters.
    expect(await search(grace, '%')).toEqual([]);
  });

  it('searches what messages say now, not deleted ones, nor what came before someone was added without history', async () => {
    const group = await server.api.ok('createGroup', {
      token: token(ada),
      body: { name: 'Quasar crew', memberIds: [grace.user.id, linus.user.id] },
    });
    const typo = await send(ada, group.id, 'Quasar budgte is ready');
    await server.api.ok('editMessage', {
      token: token(ada),
      params: { conversationId: group.id, messageId: typo.messageId },
      body: { clientId: randomUUID(), body: 'Quasar budget is ready' },
    });
    const gone = await send(ada, group.id, 'Quasar secret to delete');
    await server.api.ok('deleteMessage', {
      token: token(ada),
      params: { conversationId: group.id, messageId: gone.messageId },
      body: { clientId: randomUUID() },
    });
    expect(await search(grace, 'quasar')).toEqual(['Quasar budget is ready']);
    expect(await search(grace, 'budgte')).toEqual([]);

    const katherine = await addPerson(server.api, ada, 'search-katherine', 'member');
    await server.api.ok('addMembers', {
      token: token(ada),
      params: { conversationId: group.id },
      body: { userIds: [katherine.user.id], history: false },
    });
    await send(ada, group.id, 'Quasar from now on');
    expect(await search(katherine, 'quasar')).toEqual(['Quasar from now on']);

    // Removed: nothing of it any more.
    await server.api.ok('removeMember', {
      token: token(ada),
      params: { conversationId: group.id, userId: katherine.user.id },
    });
    expect(await search(katherine, 'quasar')).toEqual([]);
    await server.api.ok('leaveConversation', { token: token(linus), params: { conversationId: group.id }, body: {} });

    // Every change of membership is in the audit log, with who made it.
    const entries = (await server.api.ok('listAudit', { token: token(ada), query: { target: group.id } })).entries;
    expect(entries.map((e) => [e.action, e.actor.id, e.detail])).toEqual([
      ['conversation.member_left', linus.user.id, { kind: 'group', userId: linus.user.id }],
      ['conversation.member_removed', ada.user.id, { kind: 'group', userId: katherine.user.id }],
      ['conversation.members_added', ada.user.id, { kind: 'group', userIds: katherine.user.id, history: false }],
      [
        'conversation.members_added',
        ada.user.id,
        { kind: 'group', userIds: `${grace.user.id},${linus.user.id}`, history: true, atCreation: true },
      ],
    ]);
    expect(entries[0]?.target).toEqual({ kind: 'conversation', id: group.id, label: 'Quasar crew' });
  });
  it('searches everything at once: messages with filters, files by name, channels and people, each within what the caller may read', async () => {
    const everything = (who: AuthSession, query: Readonly<Record<string, string>>) =>
      server.api.ok('search', { token: token(who), query });
    const attach = async (who: AuthSession, conversationId: string, name: string, body: string) => {
      const reply = await fetch(
        `${server.url}/conversations/${conversationId}/files?name=${encodeURIComponent(name)}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token(who)}`, 'content-type': 'text/plain' },
          body: 'the Orbit plan',
        },
      );
      expect(reply.status).toBe(201);
      const file = (await reply.json()) as ChatFile;
      return server.api.ok('sendMessage', {
        token: token(who),
        params: { conversationId },
        body: { clientId: randomUUID(), body, files: [file.id] },
      });
    };
    const orbit = await server.api.ok('createChannel', { token: token(ada), body: { name: 'Orbit launch' } });
    const hidden = await server.api.ok('createChannel', {
      token: token(ada),
      body: { name: 'Orbit board', private: true, memberIds: [grace.user.id] },
    });
    const start = new Date().toISOString();
    await send(grace, orbit.id, 'Orbit dates from Grace');
    const withFile = await attach(ada, orbit.id, 'orbit-plan.txt', 'Orbit plan attached');
    await attach(ada, hidden.id, 'orbit-board-minutes.txt', 'Orbit board minutes');

    const linusSees = await everything(linus, { q: 'orbit' });
    expect(linusSees.messages.map((m) => m.body)).toEqual(['Orbit plan attached', 'Orbit dates from Grace']);
    expect(linusSees.files.map((f) => [f.name, f.messageId])).toEqual([['orbit-plan.txt', withFile.messageId]]);
    expect(linusSees.channels.map((c) => c.name)).toEqual(['Orbit launch']);
    const graceSees = await everything(grace, { q: 'orbit' });
    expect(graceSees.files.map((f) => f.name)).toEqual(['orbit-board-minutes.txt', 'orbit-plan.txt']);
    expect(graceSees.channels).toEqual([
      { id: hidden.id, name: 'Orbit board', private: true, archived: false },
      { id: orbit.id, name: 'Orbit launch', private: false, archived: false },
    ]);

    // Filters: from, has a file, in, a time range.
    const bodies = async (query: Readonly<Record<string, string>>) =>
      (await everything(grace, query)).messages.map((m) => m.body);
    expect(await bodies({ q: 'orbit', from: grace.user.id })).toEqual(['Orbit dates from Grace']);
    expect(await bodies({ q: 'orbit', hasFile: 'true' })).toEqual(['Orbit board minutes', 'Orbit plan attached']);
    expect(await bodies({ q: 'orbit', hasFile: 'false' })).toEqual(['Orbit dates from Grace']);
    expect(await bodies({ q: 'orbit', conversationId: hidden.id })).toEqual(['Orbit board minutes']);
    expect(await bodies({ q: 'orbit', before: start })).toEqual([]);
    expect((await bodies({ q: 'orbit', after: start })).length).toBe(3);
    expect((await everything(grace, { q: 'orbit', from: ada.user.id })).files.map((f) => f.name)).toEqual([
      'orbit-board-minutes.txt',
      'orbit-plan.txt',
    ]);
    // A query string says yes and no as words.
    const raw = await server.api.raw('GET', `/search?q=orbit&hasFile=true`, {
      headers: { authorization: `Bearer ${token(grace)}` },
    });
    expect(((await raw.json()) as { messages: unknown[] }).messages).toHaveLength(2);
    expect(
      (
        await server.api.raw('GET', `/search?q=orbit&hasFile=maybe`, {
          headers: { authorization: `Bearer ${token(grace)}` },
        })
      ).status,
    ).toBe(400);

    // People by name or e-mail, in the caller's organisation only; a guest finds nobody.
    expect((await everything(ada, { q: 'search-grace' })).people.map((p) => p.id)).toEqual([grace.user.id]);
    expect((await everything(stranger, { q: 'search-grace' })).people).toEqual([]);
    expect(await everything(guest, { q: 'orbit' })).toEqual({ messages: [], files: [], channels: [], people: [] });
    expect((await everything(guest, { q: 'search-ada' })).people).toEqual([]);
  });
});
