import { randomUUID } from 'node:crypto';
import type { AuthSession, Meeting } from '@tandem/shared';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPerson,
  connectWs,
  letIn,
  resume,
  signUp,
  startTestServer,
  type Reply,
  type TestServer,
} from './testSupport.ts';

const livekit = inject('livekit');
const postgres = inject('postgres');

const notFound = { status: 404, body: { error: { code: 'not_found' } } };
const forbidden = { status: 403, body: { error: { code: 'forbidden' } } };

/**
 * A write and a change of the writer's standing racing, made deterministic: two servers on one
 * database with no bus between them (the first checks what it last knew, the second changed it),
 * and on PostgreSQL a transaction the test holds open, as a removal that is committing does.
 */
for (const [store, url] of [
  ['SQLite', null],
  ['PostgreSQL', postgres],
] as const) {
  describe.skipIf(store === 'PostgreSQL' && url === null)(
    `a post and a change of its author's standing racing, over real HTTP and WebSocket, on ${store}`,
    () => {
      /** The server people post through; `other` changes their standing behind its back. */
      let server: TestServer;
      let other: TestServer;
      let ada: AuthSession;
      let grace: AuthSession;
      let linus: AuthSession;

      beforeAll(async () => {
        server = await startTestServer(livekit, url === null ? {} : { postgres: url });
        other = await startTestServer(livekit, { databasePath: server.databasePath });
        ada = await signUp(server.api, `race-ada-${store}`);
        grace = await addPerson(server.api, ada, 'race-grace', 'member');
        linus = await addPerson(server.api, ada, 'race-linus', 'member');
      });
      afterAll(async () => {
        await other?.close();
        await server?.close();
      });

      const send = (on: TestServer, who: AuthSession, conversationId: string, body: string) =>
        on.api.call('sendMessage', {
          token: who.tokens.accessToken,
          params: { conversationId },
          body: { clientId: randomUUID(), body },
        });
      const bodies = async (conversationId: string) =>
        (await other.api.ok('history', { token: ada.tokens.accessToken, params: { conversationId } })).events.flatMap(
          (e) => (e.type === 'message' ? [e.body] : []),
        );
      const group = (name: string) =>
        server.api.ok('createGroup', {
          token: ada.tokens.accessToken,
          body: { name, memberIds: [grace.user.id, linus.user.id] },
        });

      it('judges a post again inside its transaction: a removal or an archive committed after its check refuses it (404, 403) and stores nothing', async () => {
        const { id } = await group('judged again');
        const channel = await server.api.ok('createChannel', {
          token: ada.tokens.accessToken,
          body: { name: `archived ${randomUUID()}` },
        });
        // The posting server reads the conversations (and the group's members), and keeps them.
        expect(await send(server, grace, id, 'before the removal')).toMatchObject({ status: 200 });
        expect(await send(server, linus, channel.id, 'before the archive')).toMatchObject({ status: 200 });
        const removed = await other.api.call('removeMember', {
          token: ada.tokens.accessToken,
          params: { conversationId: id, userId: grace.user.id },
        });
        expect(removed.status).toBe(200);
        expect(await send(server, grace, id, 'after the removal')).toMatchObject(notFound);
        await other.api.ok('updateConversation', {
          token: ada.tokens.accessToken,
          params: { conversationId: channel.id },
          body: { archived: true },
        });
        expect(await send(server, linus, channel.id, 'after the archive')).toMatchObject(forbidden);
        expect(await bodies(id)).toEqual(['before the removal']);
        expect(await bodies(channel.id)).toEqual(['before the archive']);
      });

      it('delivers nothing written after a removal to the removed person, though the delivering server never heard of it', async () => {
        const { id } = await group('delivered by version');
        const channel = await server.api.ok('createChannel', {
          token: ada.tokens.accessToken,
          body: { name: `after ${randomUUID()}` },
        });
        const graceLive = await connectWs(server.url, grace.tokens.accessToken);
        await resume(graceLive, null);
        expect(await send(server, linus, id, 'before')).toMatchObject({ status: 200 });
        // Delivered: the server read (and keeps) the group's members, Grace among them.
        await graceLive.next('chat.event', (m) => m.event.type === 'message' && m.event.body === 'before');
        expect(
          (
            await other.api.call('removeMember', {
              token: ada.tokens.accessToken,
              params: { conversationId: id, userId: grace.user.id },
            })
          ).status,
        ).toBe(200);
        expect(await send(server, linus, id, 'after')).toMatchObject({ status: 200 });
        // Grace's stream moves one offset at a time: once the channel's next message reached her,
        // the group's message before it was judged.
        expect(await send(server, linus, channel.id, 'marker')).toMatchObject({ status: 200 });
        await graceLive.next('chat.event', (m) => m.event.type === 'message' && m.event.body === 'marker');
        const heard = graceLive.received.flatMap((m) =>
          m.type === 'chat.event' && m.event.conversationId === id ? [m.event.seq] : [],
        );
        expect(heard).toEqual([1]);
        graceLive.close();
      });

      it.skipIf(url === null)(
        "waits for a removal, an archive, a guest's removal or chat turned off that is committing, then refuses the post (a transaction the test holds open)",
        async () => {
          if (url === null) return;
          const databaseUrl = server.databasePath;
          const guest = await addPerson(server.api, ada, 'race-guest', 'guest');
          const meeting: Meeting = await server.api.ok('createMeeting', {
            token: ada.tokens.accessToken,
            body: { title: 'Held', invitees: [guest.user.id] },
          });
          await letIn(server.api, ada, guest, meeting.id);
          // Posted once each before: what the server knows says they may write.
          expect(await send(server, guest, meeting.conversationId, 'guest before')).toMatchObject({ status: 200 });
          expect(await send(server, ada, meeting.conversationId, 'host before')).toMatchObject({ status: 200 });
          const removal = await group('held removal');
          const archive = await group('held archive');
          for (const [who, id] of [
            [grace, removal.id],
            [linus, archive.id],
          ] as const)
            expect(await send(server, who, id, 'before')).toMatchObject({ status: 200 });

          /**
           * Runs `statements` in a transaction held open, then the post: it must wait for the held
           * locks (seen in pg_stat_activity, not guessed with a sleep), and answer once they commit.
           */
          async function held(
            statements: readonly (readonly [string, readonly unknown[]])[],
            post: () => Promise<Reply<'sendMessage'>>,
          ): Promise<Reply<'sendMessage'>> {
            const holder = new pg.Client({ connectionString: databaseUrl });
            const watcher = new pg.Client({ connectionString: databaseUrl });
            await Promise.all([holder.connect(), watcher.connect()]);
            try {
              await holder.query('begin');
              for (const [text, params] of statements) await holder.query(text, [...params]);
              let answered = false;
              const reply = post().finally(() => {
                answered = true;
              });
              for (;;) {
                const { rows } = await watcher.query<{ n: number }>(
                  `select count(*)::int as n from pg_stat_activity
                   where datname = current_database() and wait_event_type = 'Lock'`,
                );
                if ((rows[0]?.n ?? 0) > 0 || answered) break;
                await new Promise((resolve) => setTimeout(resolve, 10));
              }
              expect(answered, 'the post waited for the held transaction').toBe(false);
              await holder.query('commit');
              return await reply;
            } finally {
              await Promise.all([holder.end(), watcher.end()]);
            }
          }

          // A removal holds the conversation's row (it bumps its roster version) and deletes the membership.
          expect(
            await held(
              [
                ['update conversations set name = name where id = $1', [removal.id]],
                [
                  'delete from conversation_members where conversation_id = $1 and user_id = $2',
                  [removal.id, grace.user.id],
                ],
              ],
              () => send(server, grace, removal.id, 'after the removal'),
            ),
          ).toMatchObject(notFound);
          expect(
            await held(
              [['update conversations set archived_at = $2 where id = $1', [archive.id, new Date().toISOString()]]],
              () => send(server, linus, archive.id, 'after the archive'),
            ),
          ).toMatchObject(forbidden);
          expect(
            await held(
              [
                [
                  "update lobby_entries set status = 'removed' where meeting_id = $1 and user_id = $2",
                  [meeting.id, guest.user.id],
                ],
              ],
              () => send(server, guest, meeting.conversationId, 'guest after the removal'),
            ),
          ).toMatchObject(notFound);
          expect(
            await held(
              [
                [
                  'update meetings set settings = $2 where id = $1',
                  [meeting.id, JSON.stringify({ ...meeting.settings, chat: false })],
                ],
              ],
              () => send(server, ada, meeting.conversationId, 'host after chat was turned off'),
            ),
          ).toMatchObject(forbidden);
          expect(await bodies(removal.id)).toEqual(['before']);
          expect(await bodies(archive.id)).toEqual(['before']);
          expect(await bodies(meeting.conversationId)).toEqual(['guest before', 'host before']);
        },
      );
    },
  );
}
