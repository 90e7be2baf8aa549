import crypto from 'node:crypto';
import { ACCOUNT_DEACTIVATED_NOTICE, USER_PAGE_LIMIT } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { PASSWORD, desktopWorld, twoPeople, until } from '../testing/realServer.ts';
import { createApiClient } from './apiClient.ts';

const world = desktopWorld(inject('livekit'), 'people');
beforeEach(() => world.start());
afterEach(() => world.close());

const desktop = (name: string, key: Buffer) => world.desktop(name, key);
const ipc = world.ipc;

describe('people: managed through IPC, and a deactivated account on its own desktop', () => {
  it('an owner lists (from the directory kept), adds, changes and deactivates people through the forwarded channels', async () => {
    const { alice, bob } = await twoPeople(world.server.url);
    const owner = await desktop('alice', crypto.randomBytes(32));
    await owner.core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    const call = ipc(owner);

    const added = await call('people:add', {
      params: {},
      body: { name: 'Carol', email: `carol-${crypto.randomUUID()}@tandem.example`, password: PASSWORD, role: 'member' },
    });
    expect(added).toMatchObject({ ok: true, result: { name: 'Carol', role: 'member', status: 'active' } });
    const listed = await call('people:list', {});
    expect(listed).toMatchObject({ ok: true });
    if (!listed.ok) return;
    const names = (listed.result as { users: { name: string }[] }).users.map((u) => u.name);
    expect(names).toEqual(['Alice', 'Bob', 'Carol']);

    expect(await call('people:update', { params: { userId: bob.user.id }, body: { role: 'admin' } })).toMatchObject({
      ok: true,
      result: { role: 'admin' },
    });
    expect(await call('people:update', { params: { userId: alice.user.id }, body: { role: 'member' } })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await call('people:deactivate', { params: { userId: bob.user.id }, body: {} })).toMatchObject({
      ok: true,
      result: { status: 'deactivated' },
    });
    // The list follows: read again from where it stood, deactivated people included.
    expect(await call('people:list', {})).toMatchObject({
      ok: true,
      result: { users: [{ name: 'Alice' }, { name: 'Bob', role: 'admin', status: 'deactivated' }, { name: 'Carol' }] },
    });
    expect(await call('people:reactivate', { params: { userId: bob.user.id }, body: {} })).toMatchObject({
      ok: true,
      result: { status: 'active' },
    });
  });

  it('deactivated while signed in: the socket’s close ends the session for good, once, and the cache is forgotten', async () => {
    const { alice, bob } = await twoPeople(world.server.url);
    const b = await desktop('bob', crypto.randomBytes(32));
    await b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    await b.core.services.decisions.create({ title: 'Bob’s private note', meetingId: null });
    await until('bob online', async () => b.core.services.connection.status() === 'online');
    const before = b.eventsOf('connection:changed').length;

    await createApiClient(world.server.url).call(
      'deactivateUser',
      { params: { userId: bob.user.id }, body: {} },
      alice.tokens.accessToken,
    );
    await until('bob hears he was deactivated', async () => b.eventsOf('auth:ended').length > 0);
    expect(b.core.services.connection.status()).toBe('offline');
    expect(b.core.services.auth.session()).toBeNull();
    expect(await b.core.services.decisions.list()).toEqual([]);
    // No retry with the dead tokens: it stays offline, and says so once.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(b.core.services.connection.status()).toBe('offline');
    expect(b.eventsOf('auth:ended')).toEqual([{ reason: 'deactivated' }]);
    // Straight to offline: the close code alone said it, no reconnect was tried.
    expect(b.eventsOf('connection:changed').slice(before)).toEqual([{ status: 'offline' }]);
    await expect(b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD)).rejects.toMatchObject({
      code: 'forbidden',
      message: ACCOUNT_DEACTIVATED_NOTICE,
    });
  });

  it('keeps the people directory by reading only who changed at each reconnect, a page at a time the first time', async () => {
    const { alice, bob } = await twoPeople(world.server.url);
    const api = createApiClient(world.server.url);
    const owner = alice.tokens.accessToken;
    /** The directory reads the desktop made: the query of each `GET /users`. */
    const reads: string[] = [];
    /** The server out of reach (the network gone): every request fails as fetch fails. */
    let unreachable = false;
    const counting: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (unreachable) return Promise.reject(new TypeError('fetch failed'));
      if (url.pathname === '/users') reads.push(url.search);
      return fetch(input, init);
    };
    const b = await world.desktop('bob', crypto.randomBytes(32), counting);
    await b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    await until('bob knows everyone', async () => (await b.core.services.chat.people()).length === 2);
    // The first read: everyone, in pages.
    expect(reads).toEqual([`?limit=${USER_PAGE_LIMIT}`]);

    const carol = await api.call(
      'createUser',
      {
        body: {
          name: 'Carol',
          email: `carol-${crypto.randomUUID()}@tandem.example`,
          password: PASSWORD,
          role: 'member',
        },
      },
      owner,
    );
    await api.call('updateUser', { params: { userId: alice.user.id }, body: { name: 'Alice Owner' } }, owner);
    // A role change closes Bob's socket: the reconnect reads the directory from where it stood.
    await api.call('updateUser', { params: { userId: bob.user.id }, body: { role: 'admin' } }, owner);
    await until('bob knows the changes', async () =>
      (await b.core.services.chat.people()).some((p) => p.name === 'Carol'),
    );
    expect((await b.core.services.chat.people()).map((p) => p.name).sort()).toEqual(['Alice Owner', 'Bob', 'Carol']);
    expect(reads).toHaveLength(2);
    expect(reads[1]).toMatch(new RegExp(`^\\?since=\\d+&limit=${USER_PAGE_LIMIT}$`));
    const since = Number(new URLSearchParams(reads[1]).get('since'));
    const changed = await api.call('listUsers', { query: { since } }, owner);
    // What that read answered: the three changed people, not the organisation again.
    expect(changed.users.map((u) => u.id).sort()).toEqual([alice.user.id, bob.user.id, carol.id].sort());

    // The people pickers' list (`people:list`): whole records from the directory kept, after a read
    // of who changed since, in the order they were added.
    const listed = await ipc(b)('people:list', {});
    const expected = {
      ok: true,
      result: {
        users: [
          expect.objectContaining({ id: alice.user.id, name: 'Alice Owner', role: 'owner', email: alice.user.email }),
          expect.objectContaining({ id: bob.user.id, role: 'admin', status: 'active' }),
          expect.objectContaining({ id: carol.id, name: 'Carol', email: carol.email }),
        ],
      },
    };
    expect(listed).toEqual(expected);
    expect(reads).toHaveLength(3);
    expect(reads[2]).toMatch(new RegExp(`^\\?since=\\d+&limit=${USER_PAGE_LIMIT}$`));
    // Pickers that open together (home has several) share one read.
    const [first, second] = await Promise.all([ipc(b)('people:list', {}), ipc(b)('people:list', {})]);
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    expect(reads).toHaveLength(4);
    // Out of reach, it answers what it kept.
    unreachable = true;
    expect(await ipc(b)('people:list', {})).toEqual(expected);
  });

  it('a role change reaches the person’s desktop: it reconnects, re-reads who it is, keeps it and tells the renderer', async () => {
    const { alice, bob } = await twoPeople(world.server.url);
    const api = createApiClient(world.server.url);
    await api.call(
      'updateUser',
      { params: { userId: bob.user.id }, body: { role: 'admin' } },
      alice.tokens.accessToken,
    );
    const key = crypto.randomBytes(32);
    const b = await desktop('bob', key);
    await b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    expect(b.core.services.auth.session()?.user.role).toBe('admin');
    await until('bob online', async () => b.core.services.connection.status() === 'online');
    // The first connection found nothing new.
    expect(b.eventsOf('auth:changed')).toEqual([]);

    await api.call(
      'updateUser',
      { params: { userId: bob.user.id }, body: { role: 'member' } },
      alice.tokens.accessToken,
    );
    await until('bob hears his new role', async () => b.eventsOf('auth:changed').length > 0);
    expect(b.eventsOf('auth:changed')).toEqual([
      expect.objectContaining({ user: expect.objectContaining({ id: bob.user.id, role: 'member' }) }),
    ]);
    expect(b.core.services.auth.session()?.user.role).toBe('member');
    expect(b.eventsOf('auth:ended')).toEqual([]);

    // Kept: the next start restores the member, not the admin.
    await b.core.close();
    world.forget(b);
    const again = await desktop('bob', key);
    expect(again.core.services.auth.session()?.user.role).toBe('member');
  });

  it('deactivated while the app was closed: the refused refresh at the next start says so too', async () => {
    const { alice, bob } = await twoPeople(world.server.url);
    const key = crypto.randomBytes(32);
    const first = await desktop('bob', key);
    await first.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    await until('bob online', async () => first.core.services.connection.status() === 'online');
    await first.core.close();
    world.forget(first);

    await createApiClient(world.server.url).call(
      'deactivateUser',
      { params: { userId: bob.user.id }, body: {} },
      alice.tokens.accessToken,
    );
    const again = await desktop('bob', key);
    await until('bob hears he was deactivated', async () => again.eventsOf('auth:ended').length > 0);
    expect(again.eventsOf('auth:ended')).toEqual([{ reason: 'deactivated' }]);
    expect(again.core.services.auth.session()).toBeNull();
    expect(again.core.services.connection.status()).toBe('offline');
  });
});
