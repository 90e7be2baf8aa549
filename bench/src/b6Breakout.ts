import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dispose, Room } from '@livekit/rtc-node';
import { launchChromium, serveStatic } from '@tandem/devstack';
import type { BreakoutSession, JoinResult, LivekitConnection, Meeting } from '@tandem/shared';
import type { Browser } from 'playwright-core';
import type WebSocket from 'ws';
import { mediaSwitchArgs } from '../../apps/desktop/src/main/shell/mediaSwitches.ts';
import type { B6Page } from './b6page/main.ts';
import type { Benchmark } from './benchmark.ts';
import { buildBenchPage } from './benchPage.ts';
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

/** One participant's call, in whichever client: joins, moves (connect first, or leave first), leaves. */
type Client = {
  join(to: LivekitConnection): Promise<void>;
  /** Moves; resolves with the `Date.now()` at which the target room was connected. */
  move(to: LivekitConnection): Promise<number>;
  leave(): Promise<void>;
};
type B6Window = { b6: B6Page };
type Person = { member: Member; client: Client; socket: WebSocket; onMove?: (to: LivekitConnection) => void };
/**
 * Who moves: `browser` (default: the app's client, livekit-client in Chromium with moveRoom.ts)
 * or `rtc-node` (Node participants, B6_MOVE). Node's client showed waits of its own (connects of
 * 2–12 s the server had finished in ~0.5 s), so it is not the figure of record.
 */
const CLIENT = process.env['B6_CLIENT'] === 'rtc-node' ? 'rtc-node' : 'browser';

async function joinRoom(to: LivekitConnection): Promise<Room> {
  const room = new Room();
  await room.connect(to.url, to.token, { autoSubscribe: false, dynacast: false });
  return room;
}

/** A participant in Node (@livekit/rtc-node); `both`/`gaps` collect how long they were in two rooms or none. */
function rtcNodeClient(both: number[], gaps: number[]): Client {
  let room: Room | undefined;
  return {
    async join(to) {
      room = await joinRoom(to);
    },
    async move(to) {
      if (MOVE === 'reconnect') {
        const leaving = Date.now();
        await room?.disconnect();
        room = await joinRoom(to);
        const connected = Date.now();
        gaps.push(connected - leaving);
        return connected;
      }
      const next = await joinRoom(to);
      const connected = Date.now();
      await room?.disconnect();
      both.push(Date.now() - connected);
      room = next;
      return connected;
    },
    async leave() {
      await room?.disconnect();
    },
  };
}

/** A participant as the app is one: a page of b6page (moveRoom.ts's createCallRoom) in Chromium. */
async function browserClient(browser: Browser, origin: string, both: number[]): Promise<Client> {
  const page = await browser.newPage();
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => 'b6' in window);
  return {
    async join(to) {
      await page.evaluate((t) => (window as unknown as B6Window).b6.join(t), to);
    },
    async move(to) {
      const { connected, left } = await page.evaluate((t) => (window as unknown as B6Window).b6.move(t), to);
      both.push(left - connected);
      return connected;
    },
    async leave() {
      await page.evaluate(() => (window as unknown as B6Window).b6.leave());
    },
  };
}

type Figures = Record<string, number>;

/**
 * One client kind's rounds: twelve people in the main room, the host opens four breakout rooms
 * and closes them, ROUNDS times. Each person's time runs from the host's request to that person
 * connected in the target room.
 */
async function rounds(
  serverUrl: string,
  makeClient: (both: number[], gaps: number[]) => Promise<Client>,
): Promise<Figures> {
  const { owner, members } = await createOrganisation(serverUrl, PARTICIPANTS + 1);
  const host = owner.tokens.accessToken;
  const meeting = await call<Meeting>(serverUrl, 'POST', '/meetings', host, {
    title: 'B6',
    settings: { lobby: false },
  });
  const hostJoin = await call<JoinResult>(serverUrl, 'POST', `/meetings/${meeting.id}/join`, host, {});
  if (hostJoin.status !== 'joined') throw new Error('host did not join');
  const people: Person[] = [];
  const gaps: number[] = [];
  const both: number[] = [];
  try {
    for (const member of members.slice(1)) {
      const person = { member, client: await makeClient(both, gaps) } as Person;
      person.socket = await connect(serverUrl, member.accessToken, (m) => {
        if (m.type === 'breakout.move') person.onMove?.(m.livekit);
      });
      people.push(person);
      const joined = await call<JoinResult>(serverUrl, 'POST', `/meetings/${meeting.id}/join`, member.accessToken, {});
      if (joined.status !== 'joined') throw new Error('participant did not join');
      await person.client.join(joined.livekit);
    }
    const moveAll = (started: number, perPerson: number[]): Promise<number> =>
      Promise.all(
        people.map(
          (p) =>
            new Promise<number>((resolve, reject) => {
              p.onMove = (to) => {
                p.onMove = undefined;
                p.client.move(to).then((connected) => {
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
      await call<BreakoutSession>(serverUrl, 'POST', base, host, {
        rooms: Array.from({ length: ROOMS }, (_, i) => ({ name: `Room ${i + 1}` })),
      });
      await call(serverUrl, 'POST', `${base}/assign`, host, {
        mode: 'auto',
        userIds: people.map((p) => p.member.userId),
        seed: `round-${round}`,
      });
      let moved = moveAll(Date.now(), open);
      await call(serverUrl, 'POST', `${base}/open`, host, {});
      openAll.push(await moved);
      moved = moveAll(Date.now(), close);
      await call(serverUrl, 'POST', `${base}/close`, host, {});
      closeAll.push(await moved);
    }
    const o = summarise(open);
    const c = summarise(close);
    return {
      'open.p50': o.p50,
      'open.p95': o.p95,
      'openAll.p95': summarise(openAll).p95,
      'close.p50': c.p50,
      'close.p95': c.p95,
      'closeAll.p95': summarise(closeAll).p95,
      ...(gaps.length > 0 ? { 'gap.p50': summarise(gaps).p50, 'gap.p95': summarise(gaps).p95 } : {}),
      ...(both.length > 0 ? { 'both.p50': summarise(both).p50, 'both.p95': summarise(both).p95 } : {}),
    };
  } finally {
    for (const p of people) {
      p.socket.terminate();
      await p.client.leave().catch(() => undefined);
    }
  }
}

/**
 * B6: breakout moves. Twelve participants are in the main room; the host opens four breakout
 * rooms, then closes them. Measured for each participant from the host's request to being
 * connected in the target LiveKit room (server-minted token over the WebSocket, then the move).
 * The client is the app's own by default (see CLIENT: the renderer's createCallRoom, which
 * connects the target first and leaves afterwards). `both`: how long a person was in two rooms
 * (connected → left); `gap`: in none (rtc-node's reconnect only).
 */
export const b6Breakout: Benchmark = {
  id: 'B6',
  what: 'breakout open/close: host request to every participant connected in the target room',
  goals: [
    { figure: 'open.p95', below: 2000, unit: 'ms' },
    { figure: 'openAll.p95', below: 2000, unit: 'ms' },
    { figure: 'close.p95', below: 2000, unit: 'ms' },
  ],
  async run() {
    const server = await startBenchServer();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-b6-'));
    let browser: Browser | undefined;
    let site: Awaited<ReturnType<typeof serveStatic>> | undefined;
    try {
      let figures: Figures;
      if (CLIENT === 'browser') {
        await buildBenchPage(path.join(import.meta.dirname, 'b6page'), scratch);
        site = await serveStatic({ '/': scratch });
        const launched = await launchChromium(mediaSwitchArgs());
        browser = launched;
        const origin = site.origin;
        figures = await rounds(server.url, (both) => browserClient(launched, origin, both));
      } else {
        figures = await rounds(server.url, async (both, gaps) => rtcNodeClient(both, gaps));
        await dispose();
      }
      return {
        params: {
          participants: PARTICIPANTS,
          rooms: ROOMS,
          rounds: ROUNDS,
          client:
            CLIENT === 'browser'
              ? 'livekit-client in Chromium, renderer/collab/moveRoom.ts, publishing nothing'
              : `@livekit/rtc-node, ${MOVE}`,
        },
        figures,
      };
    } finally {
      await browser?.close();
      await site?.close();
      fs.rmSync(scratch, { recursive: true, force: true });
      await server.stop();
    }
  },
};
