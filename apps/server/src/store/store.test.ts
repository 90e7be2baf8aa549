import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  DEFAULT_MEETING_SETTINGS,
  type ChatFileRef,
  type Conversation,
  type Meeting,
  type User,
  type WebhookEventType,
} from '@tandem/shared';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshPostgresDatabase } from '../testDatabases.ts';
import { FileAttachError, ReactionStateError, StandingError } from './chat.ts';
import { fileRef, openStore, type Store } from './index.ts';
import type { NewEndpoint } from './integrations.ts';
import { conversationOf, orgWithChannel } from './testOrganisations.ts';

const dirs: string[] = [];
const tempDb = (): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-store-'));
  dirs.push(dir);
  return path.join(dir, 'server.db');
};
const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  for (const drop of drops.splice(0)) await drop();
});

const postgres = inject('postgres');
/** Each store, opened empty: the tests below run on both (PostgreSQL's skipped where it is not installed). */
const dialects: [string, () => Promise<Store>][] = [
  ['SQLite', () => openStore(tempDb())],
  [
    'PostgreSQL',
    async () => {
      if (postgres === null) throw new Error('no PostgreSQL in this run');
      const database = await freshPostgresDatabase(postgres);
      drops.push(database.drop);
      return openStore(database.url);
    },
  ],
];

const now = '2026-11-26T10:00:00.000Z';

async function withOrg(store: Store): Promise<User> {
  const organisation = { id: randomUUID(), name: 'Org', createdAt: now };
  const user: User = {
    id: randomUUID(),
    organisationId: organisation.id,
    email: `${randomUUID()}@tandem.example`,
    name: 'U',
    role: 'owner',
    status: 'active',
    createdAt: now,
  };
  await store.identity.createOrganisation(organisation, user, 'hash');
  return user;
}

/** A webhook endpoint of `owner`'s organisation, made by them, for `events` (not stored). */
const endpointOf = (owner: User, id: string, events: WebhookEventType[]): NewEndpoint => ({
  id,
  organisationId: owner.organisationId,
  url: 'https://hooks.example/in',
  description: '',
  events,
  secret: 'whsec_test',
  createdBy: owner.id,
  createdAt: now,
  updatedAt: now,
});

/** Someone else of `owner`'s organisation (a member unless `fields` say otherwise), not stored. */
const colleagueOf = (owner: User, name: string, fields: Partial<User> = {}): User => ({
  ...owner,
  id: randomUUID(),
  email: `${randomUUID()}@tandem.example`,
  name,
  role: 'member',
  ...fields,
});

function meetingOf(user: User, conversationId: string, joinCode: string): Meeting {
  return {
    id: randomUUID(),
    organisationId: user.organisationId,
    title: 'm',
    ownerId: user.id,
    personal: false,
    startsAt: null,
    endsAt: null,
    status: 'scheduled',
    locked: false,
    settings: DEFAULT_MEETING_SETTINGS,
    joinCode,
    joinUrl: '',
    webJoinUrl: '',
    conversationId,
    invitees: [],
    type: 'meeting',
    webinar: null,
    recording: null,
    timeZone: 'UTC',
    recurrence: null,
    rrule: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** A meeting of `user`'s organisation with its conversation, stored. */
async function insertedMeeting(store: Store, user: User, code: string): Promise<Meeting> {
  const conversation = conversationOf(user, null, now);
  const m = meetingOf(user, conversation.id, code);
  await store.meetings.insert(m, { ...conversation, meetingId: m.id, kind: 'meeting' });
  return m;
}

describe('SQLite store', () => {
  it('migrates a new file in WAL mode and keeps data across reopen without migrating twice', async () => {
    const file = tempDb();
    const first = await openStore(file);
    const user = await withOrg(first);
    await first.close();
    const migrated = (): unknown[] => {
      const raw = new SqliteDatabase(file, { readonly: true });
      try {
        return raw.prepare('select name from kysely_migration order by name').all();
      } finally {
        raw.close();
      }
    };
    const afterFirstOpen = migrated();
    expect(afterFirstOpen[0]).toEqual({ name: '001_initial' });
    const second = await openStore(file);
    expect((await second.identity.usersIn(user.organisationId, [user.id])).map((u) => u.id)).toEqual([user.id]);
    expect(await second.ping()).toBe(true);
    await second.close();
    const raw = new SqliteDatabase(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    expect(migrated()).toEqual(afterFirstOpen);
  });
});

describe.each(dialects)('%s store', (name, openEmpty) => {
  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    "records a meeting's room starting and finishing with its webhooks, and leaves a meeting its host ended ended",
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        await store.integrations.webhooks.insert(
          endpointOf(user, 'meeting-hook', ['meeting.started', 'meeting.ended']),
        );
        const conversation = conversationOf(user, null, now);
        const meeting = meetingOf(user, conversation.id, 'roomhooks1');
        await store.meetings.insert(meeting, { ...conversation, meetingId: meeting.id, kind: 'meeting' });
        expect(await store.meetings.roomChanged('no-such-meeting', 'room_started', now)).toBeUndefined();
        expect(await store.meetings.roomChanged(meeting.id, 'room_started', now)).toMatchObject({ status: 'live' });
        const later = '2026-11-26T11:00:00.000Z';
        await store.meetings.update(user.organisationId, meeting.id, { status: 'ended' }, later);
        expect(await store.meetings.roomChanged(meeting.id, 'room_finished', later)).toMatchObject({ status: 'ended' });
        expect((await store.activity.roomEvents(meeting.id)).map((e) => e.event)).toEqual([
          'room_started',
          'room_finished',
        ]);
        const queued = await store.integrations.deliveries.claimDue(later, 10, later);
        const events = queued.map((d) => JSON.parse(d.payload) as { type: string; data: { meeting: Meeting } });
        expect(events.map((e) => [e.type, e.data.meeting.status]).sort()).toEqual([
          ['meeting.ended', 'ended'],
          ['meeting.started', 'live'],
        ]);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    "makes a LiveKit webhook's write once, however many deliver it at once, and forgets it a day later",
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const conversation = conversationOf(user, null, now);
        const meeting = meetingOf(user, conversation.id, 'hooksonce1');
        await store.meetings.insert(meeting, { ...conversation, meetingId: meeting.id, kind: 'meeting' });
        const joins = Array.from({ length: 8 }, () =>
          store.activity.joined(meeting.id, user.id, user.id, now, { hook: 'EV_join' }),
        );
        await Promise.all(joins);
        expect(await store.activity.attendance(meeting.id)).toHaveLength(1);
        const started = await Promise.all(
          [1, 2, 3].map(() => store.meetings.roomChanged(meeting.id, 'room_started', now, 'EV_start')),
        );
        expect(started.filter((m) => m !== undefined)).toMatchObject([{ status: 'live' }]);
        expect(await store.activity.roomEvents(meeting.id)).toHaveLength(1);
        const later = '2026-11-26T11:00:00.000Z';
        await store.activity.left(meeting.id, user.id, later, { hook: 'EV_left' });
        await store.activity.joined(meeting.id, user.id, user.id, later, { hook: 'EV_back' });
        await store.activity.left(meeting.id, user.id, later, { hook: 'EV_left' });
        expect((await store.activity.attendance(meeting.id)).filter((v) => v.leftAt === null)).toHaveLength(1);
        expect(await store.activity.handled('EV_left')).toBe(true);
        expect(await store.activity.handled('EV_never')).toBe(false);
        // Recorded now: kept by a cut-off before now, forgotten by one after it.
        await store.activity.forgetHandled('2000-01-01T00:00:00.000Z');
        expect(await store.activity.handled('EV_join')).toBe(true);
        await store.activity.forgetHandled(new Date(Date.now() + 60_000).toISOString());
        expect(await store.activity.handled('EV_join')).toBe(false);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'writes a meeting and its conversation together or not at all',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const firstConversation = conversationOf(user, null, now);
        const first = meetingOf(user, firstConversation.id, 'samecode01');
        await store.meetings.insert(first, { ...firstConversation, meetingId: first.id, kind: 'meeting' });
        const secondConversation = conversationOf(user, null, now);
        // The join code collides, so the meeting insert fails after the conversation insert.
        await expect(
          store.meetings.insert(meetingOf(user, secondConversation.id, 'samecode01'), secondConversation),
        ).rejects.toThrow();
        const listed = await store.conversations.listFor(user.organisationId, user.id);
        expect(listed.map((l) => l.conversation.id)).toEqual([firstConversation.id]);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    "keeps each webhook endpoint's place in its organisation's change stream, moved once from a place with what it queues",
    async () => {
      const store = await openEmpty();
      try {
        const { user, channel } = await orgWithChannel(store, `hooks-${randomUUID()}`, now);
        const message = (body: string) =>
          store.chat.append({
            conversationId: channel.id,
            clientId: randomUUID(),
            messageId: randomUUID(),
            authorId: user.id,
            type: 'message',
            body,
            createdAt: now,
          });
        await message('before');
        const hooks = store.integrations.webhooks;
        await hooks.insert(endpointOf(user, 'hook-a', ['message.created']));
        // Nothing written since it was made.
        expect(await hooks.behind(10)).toEqual([]);
        await message('one');
        await message('two');
        expect(await hooks.behind(10)).toEqual([
          {
            id: 'hook-a',
            organisationId: user.organisationId,
            events: ['message.created'],
            chatOffset: 1,
            latestOffset: 3,
          },
        ]);
        // Of the organisations named only.
        expect(await hooks.behind(10, [user.organisationId])).toHaveLength(1);
        expect(await hooks.behind(10, ['another-organisation'])).toEqual([]);
        const delivery = (id: string) => ({
          id,
          endpoint_id: 'hook-a',
          organisation_id: user.organisationId,
          event_id: id,
          event_type: 'message.created',
          payload: '{}',
          next_attempt_at: now,
        });
        // Two instances moving it from the same place at once: one queues, the other nothing.
        const moves = await Promise.all([
          hooks.advance('hook-a', 1, 3, [delivery('first')], now),
          hooks.advance('hook-a', 1, 3, [delivery('second')], now),
        ]);
        expect(moves.sort()).toEqual([false, true]);
        expect(await hooks.behind(10)).toEqual([]);
        const queued = await store.integrations.deliveries.claimDue(now, 10, now);
        expect(queued.map((d) => d.eventId)).toHaveLength(1);
        // Turned off, it falls behind; turned on again, it starts from the organisation's place then.
        await hooks.update(user.organisationId, 'hook-a', { enabled: false }, now);
        await message('while off');
        expect(await hooks.behind(10)).toEqual([]);
        await hooks.update(user.organisationId, 'hook-a', { enabled: true }, now);
        expect(await hooks.behind(10)).toEqual([]);
        // Turned on while on, it keeps its place.
        await message('after');
        await hooks.update(user.organisationId, 'hook-a', { enabled: true }, now);
        expect(await hooks.behind(10)).toMatchObject([{ id: 'hook-a', chatOffset: 4, latestOffset: 5 }]);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    "pages the people directory from a position: each person's latest change, in order, per organisation",
    async () => {
      const store = await openEmpty();
      try {
        const owner = await withOrg(store);
        const other = await withOrg(store);
        const person = (name: string, organisationId = owner.organisationId): User =>
          colleagueOf(owner, name, { organisationId });
        const [ann, ben, cat] = [person('Ann'), person('Ben'), person('Cat')];
        for (const u of [ann, ben, cat]) await store.identity.insertUser(u, 'hash');
        await store.identity.insertUser(person('Elsewhere', other.organisationId), 'hash');
        const all = await store.identity.directorySince(owner.organisationId, 0, undefined);
        expect(all.users.map((u) => u.name)).toEqual(['U', 'Ann', 'Ben', 'Cat']);
        expect(all).toMatchObject({ cursor: 4, hasMore: false, reset: false });
        // A change moves the person to the end, at a new position; nothing else is read again.
        await store.identity.changeUser(owner.organisationId, ann.id, () => ({ name: 'Ann B.' }), now);
        await store.identity.insertUser(person('Elsewhere too', other.organisationId), 'hash');
        const changed = await store.identity.directorySince(owner.organisationId, all.cursor, undefined);
        expect(changed.users.map((u) => u.name)).toEqual(['Ann B.']);
        expect(changed.cursor).toBe(5);
        expect(await store.identity.directorySince(owner.organisationId, changed.cursor, 10)).toEqual({
          users: [],
          cursor: 5,
          hasMore: false,
          reset: false,
        });
        // Pages of two: every person once, in the order of their latest change.
        const paged: string[] = [];
        let since = 0;
        for (;;) {
          const page = await store.identity.directorySince(owner.organisationId, since, 2);
          paged.push(...page.users.map((u) => u.name));
          since = page.cursor;
          if (!page.hasMore) break;
        }
        expect(paged).toEqual(['U', 'Ben', 'Cat', 'Ann B.']);
        // A position the directory never reached (a restored server): from the beginning, said so.
        const ahead = await store.identity.directorySince(owner.organisationId, 99, undefined);
        expect(ahead).toMatchObject({ reset: true, cursor: 5, hasMore: false });
        expect(ahead.users).toHaveLength(4);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'reads a few people (by id or role) and their presence, only of the organisation asked, however many ids',
    async () => {
      const store = await openEmpty();
      try {
        const owner = await withOrg(store);
        const stranger = await withOrg(store);
        const people = Array.from({ length: 40 }, (_, i) =>
          colleagueOf(owner, `P${i}`, { createdAt: new Date(Date.parse(now) + 1000 * (i + 1)).toISOString() }),
        );
        for (const p of people) await store.identity.insertUser(p, 'hash');
        for (const u of [...people, stranger]) {
          await store.activity.setPresence(u.organisationId, {
            userId: u.id,
            status: 'online',
            meetingId: null,
            updatedAt: now,
          });
        }
        const [a, b, c] = people;
        if (a === undefined || b === undefined || c === undefined) throw new Error('no people');
        // A repeated id, another organisation's person and an unknown id among them.
        const asked = [a.id, b.id, b.id, stranger.id, randomUUID()];
        const ids = (rows: readonly { readonly id?: string; readonly userId?: string }[]) =>
          rows.map((r) => r.id ?? r.userId).sort();
        // In the order they came, whatever the order asked in.
        expect((await store.identity.usersIn(owner.organisationId, [...asked].reverse())).map((u) => u.id)).toEqual([
          a.id,
          b.id,
        ]);
        expect(ids(await store.activity.listPresence(owner.organisationId, asked))).toEqual([a.id, b.id].sort());
        expect(await store.identity.usersIn(owner.organisationId, [])).toEqual([]);
        // By role: the owner alone among 41 people; no one of another organisation.
        expect((await store.identity.withRoles(owner.organisationId, ['owner', 'admin'])).map((u) => u.id)).toEqual([
          owner.id,
        ]);
        expect(await store.identity.withRoles(owner.organisationId, ['member'])).toHaveLength(40);
        expect(await store.activity.listPresence(owner.organisationId, [])).toEqual([]);
        // A picker's search: by name, guests and the one searching left out when asked.
        await store.identity.insertUser(colleagueOf(owner, 'P guest', { role: 'guest' }), 'hash');
        const named = async (options?: { members?: boolean; except?: string }) =>
          (await store.identity.peopleNamed(owner.organisationId, 'p1', 50, options)).map((u) => u.name);
        expect(await named()).toEqual(['P1', 'P10', 'P11', 'P12', 'P13', 'P14', 'P15', 'P16', 'P17', 'P18', 'P19']);
        expect(await named({ except: b.id })).not.toContain('P1');
        expect(await store.identity.peopleNamed(owner.organisationId, 'guest', 5)).toHaveLength(1);
        expect(await store.identity.peopleNamed(owner.organisationId, 'guest', 5, { members: true })).toEqual([]);
        // A page at a time by person: every one of the organisation's people seen, once, in order.
        const paged: string[] = [];
        for (let after: string | null = null; ;) {
          const page = await store.activity.presencePage(owner.organisationId, after, 15);
          paged.push(...page.map((p) => p.userId));
          if (page.length < 15) break;
          after = page.at(-1)?.userId ?? null;
        }
        expect(paged).toHaveLength(40);
        expect(paged).toEqual([...paged].sort());
        expect(ids(await store.activity.listPresence(owner.organisationId, paged))).toHaveLength(40);
        // Many ids are one bound parameter: more than SQLite's and PostgreSQL's limits of parameters.
        const many = [...Array.from({ length: 70_000 }, () => randomUUID()), c.id];
        expect(ids(await store.identity.usersIn(owner.organisationId, many))).toEqual([c.id]);
        expect(ids(await store.activity.listPresence(owner.organisationId, many))).toEqual([c.id]);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    "writes a lobby entry over the statuses it is given only: a host's decision made since it was read stands",
    async () => {
      const store = await openEmpty();
      try {
        const host = await withOrg(store);
        const m = await insertedMeeting(store, host, `lobby${randomUUID().slice(0, 5)}`);
        const guest = await withOrg(store);
        const id = randomUUID();
        await store.meetings.putEntry(id, m.id, guest.id, 'waiting', now);
        await store.meetings.putEntry(id, m.id, guest.id, 'admitted', now);
        // The guest's join read `waiting` before the admission and writes it now: nothing changes.
        const again = await store.meetings.putEntry(id, m.id, guest.id, 'waiting', now, 'Guest', ['waiting']);
        expect([again.status, again.name]).toEqual(['admitted', guest.name]);
        await store.meetings.putEntry(id, m.id, guest.id, 'removed', now);
        const rejoin = await store.meetings.putEntry(id, m.id, guest.id, 'admitted', now, null, [
          'waiting',
          'admitted',
        ]);
        expect(rejoin.status).toBe('removed');
        // Without a list, any status is written over (a host's own decisions).
        expect((await store.meetings.putEntry(id, m.id, guest.id, 'admitted', now)).status).toBe('admitted');
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'numbers chat events without gaps and answers a repeated clientId with the stored event',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const c = conversationOf(user, null, now);
        await store.conversations.insert(c, {}, [], now);
        const event = (clientId: string) => ({
          conversationId: c.id,
          clientId,
          messageId: clientId,
          authorId: user.id,
          type: 'message' as const,
          body: 'hi',
          createdAt: now,
        });
        const clientIds = Array.from({ length: 20 }, () => randomUUID());
        const results = await Promise.all([...clientIds, ...clientIds].map((id) => store.chat.append(event(id))));
        expect(results.filter((r) => r.created)).toHaveLength(20);
        expect((await store.chat.since(c.id, 0, 100)).map((e) => e.seq)).toEqual(
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
        expect((await store.chat.get(user.organisationId, c.id))?.latestSeq).toBe(20);
      } finally {
        await store.close();
      }
    },
  );
  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'appends a group in one go, each event with its own outcome: a resend and a refused reaction among new events of two organisations',
    async () => {
      const store = await openEmpty();
      try {
        const [ada, bob] = [await withOrg(store), await withOrg(store)];
        const [a, b] = [conversationOf(ada, null, now), conversationOf(bob, null, now)];
        for (const c of [a, b]) await store.conversations.insert(c, {}, [], now);
        const message = (c: Conversation, author: User, clientId = randomUUID()) => ({
          conversationId: c.id,
          clientId,
          messageId: clientId,
          authorId: author.id,
          type: 'message' as const,
          body: 'hi',
          createdAt: now,
        });
        const first = message(a, ada);
        const react = (clientId = randomUUID()) => ({
          ...first,
          clientId,
          type: 'react' as const,
          body: null,
          emoji: '👍' as const,
        });
        const outcomes = await store.chat.appendAll([
          first,
          message(b, bob),
          react(),
          // The same reaction again in the same group: the one before it counts.
          react(),
          message(b, bob),
          // A resend of the first, answered with the stored event.
          { ...first, body: 'sent twice' },
        ]);
        const values = outcomes.map((o) => (o.ok ? o.value : undefined));
        expect(values.map((v) => v && [v.event.conversationId, v.event.seq, v.offset, v.created])).toEqual([
          [a.id, 1, 1, true],
          [b.id, 1, 1, true],
          [a.id, 2, 2, true],
          undefined,
          [b.id, 2, 2, true],
          [a.id, 1, 1, false],
        ]);
        const refused = outcomes[3];
        expect(refused?.ok === false && refused.error).toBeInstanceOf(ReactionStateError);
        expect(values[5]?.event).toMatchObject({ body: 'hi' });
        expect((await store.chat.since(a.id, 0, 10)).map((e) => e.type)).toEqual(['message', 'react']);
        expect(await store.chat.latestOffset(bob.organisationId)).toBe(2);
        // Several organisations' in one read; one never written to (or unknown) is at 0.
        const offsets = await store.chat.latestOffsets([ada.organisationId, bob.organisationId, 'nobody']);
        expect([...offsets]).toEqual([
          [ada.organisationId, 2],
          [bob.organisationId, 2],
          ['nobody', 0],
        ]);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    "judges each author's standing inside the group's transaction: a post into an archived conversation or a private one they left is refused, its batch-mates kept, without a gap; a resend from before is still answered",
    async () => {
      const store = await openEmpty();
      try {
        const ada = await withOrg(store);
        const [open, archived] = [conversationOf(ada, null, now), conversationOf(ada, null, now)];
        const closed = {
          ...conversationOf(ada, null, now),
          kind: 'group' as const,
          private: true,
          memberIds: [ada.id],
        };
        for (const c of [open, archived]) await store.conversations.insert(c, {}, [], now);
        await store.conversations.insert(
          closed,
          {},
          [{ userId: ada.id, role: 'owner', visibleFromSeq: 0, lastReadSeq: 0 }],
          now,
        );
        const message = (c: Conversation) => {
          const clientId = randomUUID();
          return {
            conversationId: c.id,
            clientId,
            messageId: clientId,
            authorId: ada.id,
            type: 'message' as const,
            body: 'hi',
            createdAt: now,
          };
        };
        const sentBeforeLeaving = message(closed);
        expect((await store.chat.append(sentBeforeLeaving)).created).toBe(true);
        await store.conversations.update(archived.id, { archivedAt: now });
        expect(await store.conversations.removeMember(closed.id, ada.id)).toBe(true);
        const outcomes = await store.chat.appendAll([message(open), message(archived), message(closed), message(open)]);
        expect(outcomes.map((o) => (o.ok ? [o.value.event.seq, o.value.offset] : o.error))).toEqual([
          [1, 2],
          expect.any(StandingError),
          expect.any(StandingError),
          [2, 3],
        ]);
        expect(await store.chat.since(archived.id, 0, 10)).toEqual([]);
        expect((await store.chat.since(closed.id, 0, 10)).map((e) => e.seq)).toEqual([1]);
        expect(await store.chat.latestOffset(ada.organisationId)).toBe(3);
        // Sent again after she left (its answer was lost): answered with what it stored, not refused.
        const resent = await store.chat.append({ ...sentBeforeLeaving, body: 'again' });
        expect(resent).toMatchObject({ created: false, offset: 1, event: { seq: 1, body: 'hi' } });
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'keeps the rest of a group when one event fails after its checks (its file attached meanwhile), and that one is refused',
    async () => {
      const store = await openEmpty();
      try {
        const ada = await withOrg(store);
        const c = conversationOf(ada, null, now);
        await store.conversations.insert(c, {}, [], now);
        const file = {
          id: randomUUID(),
          organisationId: ada.organisationId,
          conversationId: c.id,
          uploadedBy: ada.id,
          name: 'plan.pdf',
          contentType: 'application/pdf' as const,
          sizeBytes: 10,
          storageKey: 'k',
          createdAt: now,
        };
        await store.files.add(file);
        const message = (files?: ChatFileRef[]) => {
          const clientId = randomUUID();
          return {
            conversationId: c.id,
            clientId,
            messageId: clientId,
            authorId: ada.id,
            type: 'message' as const,
            body: 'hi',
            createdAt: now,
            files,
          };
        };
        const ref = fileRef({ ...file, messageId: null });
        // Both carry the one file: the first to be written takes it.
        const outcomes = await Promise.allSettled(
          [message(), message([ref]), message(), message([ref]), message()].map((e) => store.chat.append(e)),
        );
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
        expect(outcomes[3]?.status === 'rejected' && outcomes[3].reason).toBeInstanceOf(FileAttachError);
        const events = await store.chat.since(c.id, 0, 10);
        expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
        expect(await store.chat.latestOffset(ada.organisationId)).toBe(4);
        expect((await store.files.inConversation(c.id, [file.id]))[0]?.messageId).toBe(events[1]?.messageId);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'hands each due webhook delivery to one claim at a time, and again once a claim runs out unrecorded',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const endpointId = randomUUID();
        await store.integrations.webhooks.insert(endpointOf(user, endpointId, ['message.created']));
        const ids = Array.from({ length: 12 }, () => randomUUID());
        // Queued as the message queue queues them, with the endpoint's place (nothing written yet: 0).
        await store.integrations.webhooks.advance(
          endpointId,
          0,
          0,
          ids.map((id) => ({
            id,
            endpoint_id: endpointId,
            organisation_id: user.organisationId,
            event_id: randomUUID(),
            event_type: 'message.created',
            payload: '{}',
            next_attempt_at: now,
          })),
          now,
        );
        const later = '2026-11-26T10:00:30.000Z';
        const { deliveries } = store.integrations;
        // Instances claiming at the same moment share nothing out.
        const claims = await Promise.all([1, 2, 3].map(() => deliveries.claimDue(now, 5, later)));
        const claimed = claims.flat().map((d) => d.id);
        expect(new Set(claimed).size).toBe(claimed.length);
        const rest = await deliveries.claimDue(now, 20, later);
        expect([...claimed, ...rest.map((d) => d.id)].sort()).toEqual([...ids].sort());
        // Nothing is due while the claims hold; after them, every unrecorded one is due again.
        expect(await deliveries.claimDue('2026-11-26T10:00:29.000Z', 20, later)).toEqual([]);
        expect(await deliveries.nextDueAt()).toBe(later);
        const again = await deliveries.claimDue(later, 20, '2026-11-26T10:01:00.000Z');
        expect(again.map((d) => d.id).sort()).toEqual([...ids].sort());
      } finally {
        await store.close();
      }
    },
  );
  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'creates a decision once when the same clientId arrives many times at once, and queues its webhooks with each version it writes',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        await store.integrations.webhooks.insert(
          endpointOf(user, 'decision-hook', ['decision.created', 'decision.updated']),
        );
        const clientId = randomUUID();
        const attempts = await Promise.all(
          Array.from({ length: 8 }, async () => {
            const id = randomUUID();
            const decision = {
              id,
              organisationId: user.organisationId,
              title: 'Ship it',
              detail: '',
              outcome: '',
              ownerId: null,
              dueDate: null,
              status: 'agreed' as const,
              meetingId: null,
              message: null,
              moment: null,
              version: 1,
              createdBy: user.id,
              createdAt: now,
              updatedAt: now,
            };
            return store.decisions.create(decision, clientId, {
              decisionId: id,
              version: 1,
              changedBy: user.id,
              changedAt: now,
              changes: { title: 'Ship it' },
            });
          }),
        );
        expect(attempts.filter((a) => a.created)).toHaveLength(1);
        expect(new Set(attempts.map((a) => a.decision.id)).size).toBe(1);
        expect((await store.decisions.changedSince(user.organisationId, 0, undefined)).items).toHaveLength(1);
        const [first] = attempts;
        if (first === undefined) throw new Error('no attempt');
        const next = { ...first.decision, title: 'Ship it Friday', version: 2 };
        const change = { decisionId: next.id, version: 2, changedBy: user.id, changedAt: now, changes: {} };
        // One written from a version that is not the stored one writes, and queues, nothing.
        expect(await store.decisions.update({ ...next, version: 3 }, 2, { ...change, version: 3 })).toBeUndefined();
        expect(await store.decisions.update(next, 1, change)).toEqual(next);
        const queued = await store.integrations.deliveries.claimDue(now, 10, now);
        const events = queued.map(
          (d) => JSON.parse(d.payload) as { type: string; data: { decision: { version: number } } },
        );
        expect(events.map((e) => [e.type, e.data.decision.version]).sort()).toEqual([
          ['decision.created', 1],
          ['decision.updated', 2],
        ]);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'merges concurrent saves of one page document, the first ones included, so none is lost (instances saving a page at once)',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const page = { app: 'procurement', view: 'PurchaseOrderView', recordId: '1' };
        // Each save adds its own edit to whatever is stored (as Yjs merges documents).
        const edits = Array.from({ length: 12 }, (_, i) => `edit ${i}`);
        await Promise.all(
          edits.map((edit) =>
            store.pages.mergeDoc(
              user.organisationId,
              page,
              (stored) => JSON.stringify([...(stored === undefined ? [] : (JSON.parse(stored) as string[])), edit]),
              now,
            ),
          ),
        );
        const stored = await store.pages.doc(user.organisationId, page);
        expect((JSON.parse(stored ?? '[]') as string[]).sort()).toEqual([...edits].sort());
      } finally {
        await store.close();
      }
    },
  );
});

describe.each(dialects)('%s phone store (026_phone)', (name, openEmpty) => {
  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'gives each meeting one PIN, never another meeting’s, and finds only live meetings by it',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const meeting = (code: string) => insertedMeeting(store, user, code);
        const [a, b] = [await meeting('phonecode1'), await meeting('phonecode2')];
        expect(await store.phone.claimPin(a.id, '123456789', now)).toBe('123456789');
        // A meeting keeps its PIN; another meeting cannot take it.
        expect(await store.phone.claimPin(a.id, '987654321', now)).toBe('123456789');
        expect(await store.phone.claimPin(b.id, '123456789', now)).toBeUndefined();
        expect(await store.phone.meetingByPin('123456789')).toEqual({
          meetingId: a.id,
          organisationId: user.organisationId,
        });
        await store.meetings.update(user.organisationId, a.id, { status: 'ended' }, now);
        expect(await store.phone.meetingByPin('123456789')).toBeUndefined();
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'keeps an organisation’s dial-in numbers in order and counts wrong PINs per number within the window',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const numbers = [
          { number: '+442071230001', label: 'United Kingdom' },
          { number: '+14155550100', label: '' },
        ];
        await store.phone.setNumbers(user.organisationId, numbers);
        expect(await store.phone.numbers(user.organisationId)).toEqual(numbers);
        await store.phone.setNumbers(user.organisationId, numbers.slice(1));
        expect(await store.phone.numbers(user.organisationId)).toEqual(numbers.slice(1));

        await store.phone.recordPinFailure('+15555550123', '2026-11-26T09:00:00.000Z');
        await store.phone.recordPinFailure('+15555550123', '2026-11-26T09:50:00.000Z');
        await store.phone.recordPinFailure('+15555550999', '2026-11-26T09:55:00.000Z');
        expect(await store.phone.pinFailuresSince('+15555550123', '2026-11-26T09:45:00.000Z')).toBe(1);
        // Counting drops what fell out of the window: it is not counted again later.
        expect(await store.phone.pinFailuresSince('+15555550123', '2026-11-26T08:00:00.000Z')).toBe(1);
      } finally {
        await store.close();
      }
    },
  );

  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'answers the open visits with whether each is a phone call, and the meetings live since a time at the latest (reconciliation)',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const meeting = (code: string) => insertedMeeting(store, user, code);
        const [early, late, ended] = [
          await meeting('livecode01'),
          await meeting('livecode02'),
          await meeting('livecode03'),
        ];
        const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;
        await store.meetings.update(user.organisationId, early.id, { status: 'live' }, at(1));
        await store.meetings.update(user.organisationId, late.id, { status: 'live' }, at(5));
        await store.meetings.update(user.organisationId, ended.id, { status: 'ended' }, at(1));
        expect((await store.meetings.liveBy(at(3))).map((m) => m.id)).toEqual([early.id]);
        expect((await store.meetings.liveBy(at(5))).map((m) => m.id)).toEqual([early.id, late.id]);

        await store.activity.joined(early.id, 'caller', null, at(1), { phone: true });
        await store.activity.joined(early.id, user.id, user.id, at(1));
        await store.activity.joined(early.id, 'newcomer', null, at(4));
        const open = await store.activity.openVisits(at(3));
        expect(open.sort((x, y) => x.identity.localeCompare(y.identity))).toEqual(
          [
            { organisationId: user.organisationId, meetingId: early.id, identity: 'caller', phone: true },
            { organisationId: user.organisationId, meetingId: early.id, identity: user.id, phone: false },
          ].sort((x, y) => x.identity.localeCompare(y.identity)),
        );
      } finally {
        await store.close();
      }
    },
  );
});
