import { randomUUID } from 'node:crypto';
import type { ChatEvent, ServerMessage } from '@tandem/shared';
import type { FanoutTarget } from './b2Driver.ts';
import { call, connect, createChannel, createOrganisation, type Member } from './orgClient.ts';
import { startBenchServer } from './serverProcess.ts';

/** Each room is an organisation of this many people, each connected ROOM / PEOPLE times. */
const PEOPLE = 2;

/** The body of a message or thread reply in what the server sent; undefined for anything else. */
export function tandemBody(message: ServerMessage): string | undefined {
  return message.type === 'chat.event' && message.event.type === 'message' ? message.event.body : undefined;
}

/**
 * The coordination server in its own process (serverProcess.ts). A connection follows every
 * conversation of its organisation, so a room of 20 is an organisation of two people with one
 * channel: each message reaches exactly its room. Posts are `POST /conversations/:id/messages`
 * (a reply names the room's first message as its thread) and react/unreact on that message,
 * each with a fresh clientId, as the owner.
 */
export const tandemTarget: FanoutTarget = {
  name: 'tandem',
  async start(rooms) {
    const server = await startBenchServer();
    try {
      const setup: { token: string; members: Member[]; base: string; root: string; reacted: boolean }[] = [];
      for (let c = 0; c < rooms; c += 1) {
        const { owner, members } = await createOrganisation(server.url, PEOPLE);
        const token = owner.tokens.accessToken;
        const channel = await createChannel(server.url, token, `room-${c}`);
        const root = await call<ChatEvent>(server.url, 'POST', `/conversations/${channel.id}/messages`, token, {
          clientId: randomUUID(),
          body: 'thread root',
        });
        setup.push({
          token,
          members,
          base: `/conversations/${channel.id}/messages`,
          root: root.messageId,
          reacted: false,
        });
      }
      const roomOf = (room: number) => {
        const r = setup[room];
        if (r === undefined) throw new Error(`no room ${room}`);
        return r;
      };
      return {
        pid: server.pid,
        async connect(room, member, delivered) {
          const person = roomOf(room).members[member % PEOPLE];
          if (person === undefined) throw new Error('bad layout');
          const socket = await connect(server.url, person.accessToken, (m) => {
            const body = tandemBody(m);
            if (body !== undefined) delivered(body);
          });
          socket.send(JSON.stringify({ type: 'resume', cursor: 0 }));
          return socket;
        },
        async post(room, post) {
          const r = roomOf(room);
          if (post.kind === 'reaction') {
            const verb = r.reacted ? 'unreact' : 'react';
            await call(server.url, 'POST', `${r.base}/${r.root}/${verb}`, r.token, {
              clientId: randomUUID(),
              emoji: '👍',
            });
            r.reacted = !r.reacted;
            return;
          }
          await call(server.url, 'POST', r.base, r.token, {
            clientId: randomUUID(),
            body: post.body,
            ...(post.kind === 'reply' ? { threadOf: r.root } : {}),
          });
        },
        stop: () => server.stop(),
      };
    } catch (e) {
      await server.stop();
      throw e;
    }
  },
};
