import { randomUUID } from 'node:crypto';
import type { AuthSession, ChatEvent } from '@tandem/shared';
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
    ]);
    expect(entries[0]?.target).toEqual({ kind: 'conversation', id: group.id, label: 'Quasar crew' });
  });
});
