import type { Conversation, ServerMessage, User } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.ts';
import { conversationOf } from '../store/testOrganisations.ts';
import type { Caller } from './context.ts';
import { conversationAccess } from './conversationAccess.ts';
import { createRealtime } from './realtime.ts';

const now = '2026-12-06T10:00:00.000Z';
const person = (name: string, role: User['role'] = 'member'): User => ({
  id: `${name}-id`,
  organisationId: 'org',
  email: `${name}@tandem.example`,
  name,
  role,
  status: 'active',
  createdAt: now,
});
const ada = person('ada', 'owner');
const bob = person('bob');
const cy = person('cy');
const member = (userId: string) => ({ userId, role: 'member' as const, visibleFromSeq: 0, lastReadSeq: 0 });

describe('realtime fan-out of an organisation’s change stream (one instance, on the real store)', () => {
  let store: Store;
  let channel: Conversation;
  let pair: Conversation;
  let seq = 0;

  beforeAll(async () => {
    store = await openStore(':memory:');
    await store.identity.createOrganisation({ id: 'org', name: 'org', createdAt: now }, ada, 'hash');
    for (const u of [bob, cy]) await store.identity.insertUser(u, 'hash');
    channel = conversationOf(ada, null, now);
    await store.conversations.insert(channel, {}, [], now);
    pair = { ...conversationOf(ada, null, now), kind: 'group', name: '', private: true, memberIds: [ada.id, bob.id] };
    await store.conversations.insert(pair, {}, [member(ada.id), member(bob.id)], now);
  });
  afterAll(() => store?.close());

  it('visits only a private conversation’s members’ connections; the rest stay in step and hear the next public event at once', async () => {
    const access = conversationAccess(store);
    // Which connections each event was judged for: a fan-out visiting everyone asks for all three.
    const judged: string[] = [];
    const followsNow = access.followsNow;
    access.followsNow = (caller, conversation, version) => {
      judged.push(caller.user.name);
      return followsNow(caller, conversation, version);
    };
    // Deliveries judged on a connection's own chain (the slow path), by conversation.
    const ownChain: string[] = [];
    const follows = access.follows;
    access.follows = (caller, conversation, version) => {
      ownChain.push(conversation.id);
      return follows(caller, conversation, version);
    };
    let replays = 0;
    const changes = store.chat.changes;
    store.chat.changes = (...args) => {
      replays += 1;
      return changes(...args);
    };
    const realtime = createRealtime(store, () => {}, access);
    const heard = new Map<string, ServerMessage[]>();
    for (const user of [ada, bob, cy]) {
      const caller: Caller = {
        user,
        sessionId: `${user.name}-session`,
        origin: { address: '127.0.0.1', client: 'test' },
      };
      heard.set(user.name, []);
      const connection = realtime.connect(
        caller,
        (m) => heard.get(user.name)?.push(m),
        () => {},
        async () => {},
        () => {},
      );
      await connection.resume(null);
    }
    await expect.poll(() => [...heard.values()].every((m) => m.some((x) => x.type === 'resumed'))).toBe(true);
    const bodies = (name: string) =>
      (heard.get(name) ?? []).flatMap((m) =>
        m.type === 'chat.event' && m.event.type === 'message' ? [m.event.body] : [],
      );
    /** Appends a message and has realtime hear it now (`publish`), or later through the answer. */
    const post = async (conversation: Conversation, body: string, publish = true): Promise<() => void> => {
      seq += 1;
      const outcome = await store.chat.append({
        conversationId: conversation.id,
        clientId: `m-${seq}`,
        messageId: `m-${seq}`,
        authorId: ada.id,
        type: 'message',
        body,
        createdAt: now,
      });
      if (!outcome.created) throw new Error('a new clientId was answered as a resend');
      const hear = () => realtime.chat(conversation, outcome.event, outcome.offset, outcome.rosterVersion);
      if (publish) hear();
      return hear;
    };

    // The first of each conversation reads its roster; from then on it is known without the database.
    await post(pair, 'pair 1');
    await post(channel, 'all 1');
    await expect.poll(() => bodies('cy')).toEqual(['all 1']);
    await expect.poll(() => bodies('bob')).toEqual(['pair 1', 'all 1']);
    const replaysBefore = replays;

    judged.length = 0;
    await post(pair, 'pair 2');
    expect(judged.sort()).toEqual(['ada', 'bob']);
    expect(bodies('ada')).toEqual(['pair 1', 'all 1', 'pair 2']);
    judged.length = 0;
    await post(channel, 'all 2');
    expect(judged.sort()).toEqual(['ada', 'bob', 'cy']);
    // Sent as `chat` ran, with no replay from the database: cy stayed in step past `pair 2`.
    expect(bodies('cy')).toEqual(['all 1', 'all 2']);
    expect(replays).toBe(replaysBefore);

    // Heard out of order (another instance's event, committed first, still on the bus): held, then
    // both in order as the first arrives, with no read of the database.
    const late = await post(pair, 'pair 3', false);
    await post(channel, 'all 3');
    expect(bodies('cy')).toEqual(['all 1', 'all 2']);
    late();
    expect(bodies('bob')).toEqual(['pair 1', 'all 1', 'pair 2', 'all 2', 'pair 3', 'all 3']);
    expect(bodies('cy')).toEqual(['all 1', 'all 2', 'all 3']);
    expect(replays).toBe(replaysBefore);

    // The first event of a conversation whose roster is not read yet: read once for everyone,
    // who stay in step (no connection reads anything itself).
    const trio: Conversation = { ...pair, id: 'trio', memberIds: [ada.id, bob.id, cy.id] };
    await store.conversations.insert(trio, {}, [member(ada.id), member(bob.id), member(cy.id)], now);
    await post(trio, 'trio 1');
    await post(channel, 'all 3b');
    await expect.poll(() => bodies('cy').slice(-2)).toEqual(['trio 1', 'all 3b']);
    expect(bodies('bob').slice(-2)).toEqual(['trio 1', 'all 3b']);
    expect(ownChain).not.toContain(trio.id);
    expect(replays).toBe(replaysBefore);

    // A roster that cannot be read: every connection judges the event on its own chain, as
    // before, and has the event held behind it too.
    const quad: Conversation = { ...trio, id: 'quad' };
    await store.conversations.insert(quad, {}, [member(ada.id), member(bob.id), member(cy.id)], now);
    const roster = store.conversations.roster;
    let unreadable = true;
    store.conversations.roster = (id) => {
      if (id !== quad.id || !unreadable) return roster(id);
      unreadable = false;
      return Promise.reject(new Error('the database is away'));
    };
    const first = await post(quad, 'quad 1', false);
    await post(channel, 'all 3c');
    first();
    await expect.poll(() => bodies('cy').slice(-2)).toEqual(['quad 1', 'all 3c']);
    await expect.poll(() => bodies('bob').slice(-2)).toEqual(['quad 1', 'all 3c']);
    expect(ownChain.filter((id) => id === quad.id)).toHaveLength(3);
    const replaysAfterQuad = replays;

    // An event this instance never hears of (the bus lost it): after a short wait every in-step
    // connection fills it from the database, in order.
    await post(pair, 'pair 4 (lost)', false);
    await post(channel, 'all 4');
    expect(bodies('cy').at(-1)).toBe('all 3c');
    await expect.poll(() => bodies('cy').at(-1)).toBe('all 4');
    await expect.poll(() => bodies('bob').slice(-3)).toEqual(['all 3c', 'pair 4 (lost)', 'all 4']);
    expect(replays).toBeGreaterThan(replaysAfterQuad);
    // Back in step after the gap: the next private event visits its members only again.
    await expect.poll(() => bodies('ada').length).toBe(12);
    judged.length = 0;
    await post(pair, 'pair 5');
    expect(judged.sort()).toEqual(['ada', 'bob']);
    expect(bodies('bob').at(-1)).toBe('pair 5');
    expect(bodies('cy')).toEqual(['all 1', 'all 2', 'all 3', 'trio 1', 'all 3b', 'quad 1', 'all 3c', 'all 4']);
  });
});
