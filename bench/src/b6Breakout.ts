import { dispose, Room } from '@livekit/rtc-node';
import type { BreakoutSession, JoinResult, LivekitConnection, Meeting } from '@tandem/shared';
import type WebSocket from 'ws';
import type { Benchmark } from './benchmark.ts';
import { call, connect, createOrganisation, type Member } from './orgClient.ts';
import { startBenchServer } from './serverProcess.ts';
import { summarise } from './stats.ts';

const PARTICIPANTS = 12;
const ROOMS = 4;
const ROUNDS = Number(process.env['B6_ROUNDS'] ?? 5);

type Person = { member: Member; room: Room; socket: WebSocket; onMove?: (to: LivekitConnection) => void };

async function joinRoom(to: LivekitConnection): Promise<Room> {
  const room = new Room();
  await room.connect(to.url, to.token, { autoSubscribe: false, dynacast: false });
  return room;
}

/**
 * B6: breakout moves. Twelve participants (Node, @livekit/rtc-node) are in the main room; the
 * host opens four breakout rooms. For each participant: from the host's `open` request to
 * being connected in the target LiveKit room (server-minted token over the WebSocket, leave,
 * join). Then the same for the return when the host closes the rooms.
 */
export const b6Breakout: Benchmark = {
  id: 'B6',
  what: 'breakout open/close: host request to every participant connected in the target room',
  goals: [
    { figure: 'open.p95', below: 2000, unit: 'ms' },
    { figure: 'openAll.p95', below: 2000, unit: 'ms' },
  ],
  async run() {
    const server = await startBenchServer();
    const people: Person[] = [];
    try {
      const { owner, members } = await createOrganisation(server.url, PARTICIPANTS + 1);
      const host = owner.tokens.accessToken;
      const meeting = await call<Meeting>(server.url, 'POST', '/meetings', host, {
        title: 'B6',
        settings: { lobby: false },
      });
      const hostJoin = await call<JoinResult>(server.url, 'POST', `/meetings/${meeting.id}/join`, host, {});
      if (hostJoin.status !== 'joined') throw new Error('host did not join');
      for (const member of members.slice(1)) {
        const person = { member } as Person;
        person.socket = await connect(server.url, member.accessToken, (m) => {
          if (m.type === 'breakout.move') person.onMove?.(m.livekit);
        });
        const joined = await call<JoinResult>(
          server.url,
          'POST',
          `/meetings/${meeting.id}/join`,
          member.accessToken,
          {},
        );
        if (joined.status !== 'joined') throw new Error('participant did not join');
        person.room = await joinRoom(joined.livekit);
        people.push(person);
      }
      const moveAll = (started: number, perPerson: number[]): Promise<number> =>
        Promise.all(
          people.map(
            (p) =>
              new Promise<number>((resolve, reject) => {
                p.onMove = (to) => {
                  p.onMove = undefined;
                  void p.room
                    .disconnect()
                    .then(() => joinRoom(to))
                    .then((room) => {
                      p.room = room;
                      const ms = performance.now() - started;
                      perPerson.push(ms);
                      resolve(ms);
                    }, reject);
                };
              }),
          ),
        ).then((all) => Math.max(...all));
      const open: number[] = [];
      const openAll: number[] = [];
      const close: number[] = [];
      const closeAll: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const base = `/meetings/${meeting.id}/breakouts`;
        await call<BreakoutSession>(server.url, 'POST', base, host, {
          rooms: Array.from({ length: ROOMS }, (_, i) => ({ name: `Room ${i + 1}` })),
        });
        await call(server.url, 'POST', `${base}/assign`, host, {
          mode: 'auto',
          userIds: people.map((p) => p.member.userId),
          seed: `round-${round}`,
        });
        let started = performance.now();
        let moved = moveAll(started, open);
        await call(server.url, 'POST', `${base}/open`, host, {});
        openAll.push(await moved);
        started = performance.now();
        moved = moveAll(started, close);
        await call(server.url, 'POST', `${base}/close`, host, {});
        closeAll.push(await moved);
      }
      const o = summarise(open);
      const oa = summarise(openAll);
      const c = summarise(close);
      const ca = summarise(closeAll);
      return {
        params: { participants: PARTICIPANTS, rooms: ROOMS, rounds: ROUNDS, client: '@livekit/rtc-node' },
        figures: {
          'open.p50': o.p50,
          'open.p95': o.p95,
          'openAll.p95': oa.p95,
          'close.p50': c.p50,
          'close.p95': c.p95,
          'closeAll.p95': ca.p95,
        },
      };
    } finally {
      for (const p of people) {
        p.socket?.terminate();
        await p.room?.disconnect().catch(() => undefined);
      }
      await dispose();
      await server.stop();
    }
  },
};
