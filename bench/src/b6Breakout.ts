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
/**
 * How a client moves: `preconnect` (the app's way, renderer/collab/moveRoom.ts) connects the
 * target first and leaves afterwards; `reconnect` (the app's way before) leaves, then connects.
 */
const MOVE = process.env['B6_MOVE'] === 'reconnect' ? 'reconnect' : 'preconnect';

type Person = { member: Member; room: Room; socket: WebSocket; onMove?: (to: LivekitConnection) => void };

async function joinRoom(to: LivekitConnection): Promise<Room> {
  const room = new Room();
  await room.connect(to.url, to.token, { autoSubscribe: false, dynacast: false });
  return room;
}

/**
 * B6: breakout moves. Twelve participants (Node, @livekit/rtc-node) are in the main room; the
 * host opens four breakout rooms. For each participant: from the host's `open` request to
 * being connected in the target LiveKit room (server-minted token over the WebSocket, then join
 * and leave, or leave and join: B6_MOVE). Then the same for the return when the host closes the
 * rooms. `gap`: how long a person was in no room (leave → connected; none when connecting first);
 * `both`: how long in two (connected → left).
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
      const gaps: number[] = [];
      const both: number[] = [];
      const moveOne = async (p: Person, to: LivekitConnection): Promise<number> => {
        if (MOVE === 'reconnect') {
          const leaving = performance.now();
          await p.room.disconnect();
          p.room = await joinRoom(to);
          const connected = performance.now();
          gaps.push(connected - leaving);
          return connected;
        }
        const next = await joinRoom(to);
        const connected = performance.now();
        await p.room.disconnect();
        both.push(performance.now() - connected);
        p.room = next;
        return connected;
      };
      const moveAll = (started: number, perPerson: number[]): Promise<number> =>
        Promise.all(
          people.map(
            (p) =>
              new Promise<number>((resolve, reject) => {
                p.onMove = (to) => {
                  p.onMove = undefined;
                  moveOne(p, to).then((connected) => {
                    const ms = connected - started;
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
        params: { participants: PARTICIPANTS, rooms: ROOMS, rounds: ROUNDS, client: '@livekit/rtc-node', move: MOVE },
        figures: {
          'open.p50': o.p50,
          'open.p95': o.p95,
          'openAll.p95': oa.p95,
          'close.p50': c.p50,
          'close.p95': c.p95,
          'closeAll.p95': ca.p95,
          ...(gaps.length > 0 ? { 'gap.p50': summarise(gaps).p50, 'gap.p95': summarise(gaps).p95 } : {}),
          ...(both.length > 0 ? { 'both.p50': summarise(both).p50, 'both.p95': summarise(both).p95 } : {}),
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
