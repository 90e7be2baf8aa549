import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { DEFAULT_MEETING_SETTINGS, type Conversation, type Meeting, type User } from '@tandem/shared';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshPostgresDatabase } from '../testDatabases.ts';
import { openStore, type Store } from './index.ts';

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

const conversationOf = (user: User, meetingId: string | null): Conversation => ({
  id: randomUUID(),
  organisationId: user.organisationId,
  kind: meetingId === null ? 'channel' : 'meeting',
  meetingId,
  name: 'c',
  private: false,
  archivedAt: null,
  memberIds: null,
  createdBy: null,
  latestSeq: 0,
  createdAt: now,
});

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
    expect((await second.identity.listUsers(user.organisationId)).map((u) => u.id)).toEqual([user.id]);
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
    'writes a meeting and its conversation together or not at all',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const firstConversation = conversationOf(user, null);
        const first = meetingOf(user, firstConversation.id, 'samecode01');
        await store.meetings.insert(first, { ...firstConversation, meetingId: first.id, kind: 'meeting' });
        const secondConversation = conversationOf(user, null);
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
    'numbers chat events without gaps and answers a repeated clientId with the stored event',
    async () => {
      const store = await openEmpty();
      try {
        const user = await withOrg(store);
        const c = conversationOf(user, null);
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
});
