import path from 'node:path';
import type { Conversation, User } from '@tandem/shared';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshPostgresDatabase } from '../testDatabases.ts';
import { chatStore, type NewChatEvent } from './chat.ts';
import { openStore } from './index.ts';
import type { Database } from './schema.ts';
import { scratchDir } from './testMigrations.ts';
import { orgWithChannel } from './testOrganisations.ts';

const postgres = inject('postgres');
const dir = scratchDir('tandem-message-search-');
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

const now = '2026-12-05T10:00:00.000Z';
const FAR = Number.MAX_SAFE_INTEGER;

const event = (
  channel: Conversation,
  user: User,
  clientId: string,
  type: 'message' | 'edit' | 'delete',
  body: string | null,
  messageId = clientId,
): NewChatEvent => ({ conversationId: channel.id, clientId, messageId, authorId: user.id, type, body, createdAt: now });

const stores: [string, () => Promise<string>][] = [
  ['SQLite', async () => path.join(dir, 'search.db')],
  [
    'PostgreSQL',
    async () => {
      if (postgres === null) throw new Error('no PostgreSQL in this run');
      const database = await freshPostgresDatabase(postgres);
      drops.push(database.drop);
      return database.url;
    },
  ],
];

describe.each(stores)('message search on %s', (name, location) => {
  it.skipIf(name === 'PostgreSQL' && postgres === null)(
    'finds the current text of messages without case, never a deleted one or another organisation’s, newest first',
    async () => {
      const store = await openStore(await location());
      try {
        const { user, channel } = await orgWithChannel(store, 'ada', now);
        const other = await orgWithChannel(store, 'eve', now);
        await store.chat.appendAll([
          event(channel, user, 'm1', 'message', 'The Zephyr launch is on the 14th'),
          event(channel, user, 'm2', 'message', 'lunch?'),
          event(channel, user, 'm3', 'message', 'zephyr retro notes'),
          event(channel, user, 'm4', 'message', 'Budget at 100% for zephyr_2'),
          event(other.channel, other.user, 'x1', 'message', 'Zephyr elsewhere'),
        ]);
        // Edited away from the words, edited into them, deleted.
        await store.chat.append(event(channel, user, 'e1', 'edit', 'The launch is on the 14th', 'm1'));
        await store.chat.append(event(channel, user, 'e2', 'edit', 'lunch with the ZEPHYR team?', 'm2'));
        await store.chat.append(event(channel, user, 'd3', 'delete', null, 'm3'));
        const bodies = async (words: string) =>
          (await store.chat.search(user.organisationId, words, { beforeOffset: FAR, limit: 10 })).map(
            (h) => h.event.body,
          );
        // By when the message was sent, whenever it was edited.
        expect(await bodies('zephyr')).toEqual(['Budget at 100% for zephyr_2', 'lunch with the ZEPHYR team?']);
        expect(await bodies('launch')).toEqual(['The launch is on the 14th']);
        // LIKE's wildcards are the characters themselves.
        expect(await bodies('100%')).toEqual(['Budget at 100% for zephyr_2']);
        expect(await bodies('r_2')).toEqual(['Budget at 100% for zephyr_2']);
        expect(await bodies('1_0')).toEqual([]);
      } finally {
        await store.close();
      }
    },
  );
});

describe.skipIf(postgres === null)('message search on PostgreSQL in a large organisation', () => {
  it('starts from the trigram index of the texts (049_search_index), not from every message of the organisation', async () => {
    if (postgres === null) return;
    const database = await freshPostgresDatabase(postgres);
    drops.push(database.drop);
    const { url } = database;
    const store = await openStore(url);
    const { user, channel } = await orgWithChannel(store, 'big', now);
    await store.close();
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const statements: CompiledQuery[] = [];
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (e) => {
        if (e.level === 'query') statements.push(e.query);
      },
    });
    try {
      // 20,000 messages of the organisation, one of them with a rare word, then the planner's statistics.
      await pool.query(
        `INSERT INTO chat_events (conversation_id, seq, client_id, message_id, author_id, type, body, created_at, organisation_id, org_offset)
         SELECT $1, g, 'c' || g, 'c' || g, $2, 'message',
           CASE WHEN g = 777 THEN 'the Zephyrium contract' ELSE 'status update number ' || g END, $3, $4, g
         FROM generate_series(1, 20000) AS g`,
        [channel.id, user.id, now, user.organisationId],
      );
      // As autovacuum would: the index's pending entries moved into it, and the planner's statistics.
      await pool.query('VACUUM ANALYZE chat_events');
      const hits = await chatStore(db).search(user.organisationId, 'zephyrium', { beforeOffset: FAR, limit: 20 });
      expect(hits.map((h) => h.event.body)).toEqual(['the Zephyrium contract']);
      const [search] = statements.filter((q) => q.sql.includes('current_body'));
      if (search === undefined) throw new Error('the search statement was not seen');
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${search.sql}`, [...search.parameters]);
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Bitmap Index Scan on chat_events_body_trgm/);
    } finally {
      await db.destroy();
    }
  });
});
