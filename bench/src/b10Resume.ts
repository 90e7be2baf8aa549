import { randomUUID } from 'node:crypto';
import type { ServerMessage } from '@tandem/shared';
import type WebSocket from 'ws';
import type { Benchmark } from './benchmark.ts';
import { call, connect, createChannel, createOrganisation } from './orgClient.ts';
import { startBenchServer } from './serverProcess.ts';
import { summarise } from './stats.ts';

const CONVERSATIONS = Number(process.env['B10_CONVERSATIONS'] ?? 5_000);
const RUNS = Number(process.env['B10_RUNS'] ?? 40);
/** Messages posted into random conversations while the person is away, before each reconnect. */
const MISSED = 50;

const now = () => performance.timeOrigin + performance.now();

/**
 * B10: reconnect of a person following CONVERSATIONS conversations. Each run posts MISSED
 * messages into random conversations while the person is away, then times socket open → `ready`
 * → one `resume` frame → every missed event and `resumed` (every conversation current).
 */
export const b10Resume: Benchmark = {
  id: 'B10',
  what: `reconnect of a person following ${CONVERSATIONS} conversations, socket open to all current`,
  goals: [{ figure: 'resume.p95', below: 300, unit: 'ms' }],
  async run() {
    const server = await startBenchServer();
    try {
      const { owner } = await createOrganisation(server.url, 1);
      const token = owner.tokens.accessToken;
      const channels: string[] = [];
      for (let i = 0; i < CONVERSATIONS; i += 8) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(8, CONVERSATIONS - i) }, (_, j) =>
            createChannel(server.url, token, `c-${i + j}`),
          ),
        );
        channels.push(...batch.map((c) => c.id));
      }
      let cursor = 0;
      const durations: number[] = [];
      const replayed: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        for (let m = 0; m < MISSED; m += 1) {
          const id = channels[Math.floor(Math.random() * channels.length)];
          await call(server.url, 'POST', `/conversations/${id}/messages`, token, {
            clientId: randomUUID(),
            body: `missed ${run}.${m}`,
          });
        }
        const started = now();
        let events = 0;
        let socket: WebSocket | undefined;
        const done = new Promise<number>((resolve) => {
          void connect(server.url, token, (m: ServerMessage) => {
            if (m.type === 'chat.event') events += 1;
            if (m.type === 'resumed') resolve(m.cursor);
          }).then((s) => {
            socket = s;
            s.send(JSON.stringify({ type: 'resume', cursor }));
          });
        });
        cursor = await done;
        durations.push(now() - started);
        replayed.push(events);
        socket?.terminate();
      }
      const d = summarise(durations);
      return {
        params: { conversations: CONVERSATIONS, runs: RUNS, missedPerRun: MISSED },
        figures: {
          'resume.p50': d.p50,
          'resume.p95': d.p95,
          'resume.max': d.max,
          'replayed.min': Math.min(...replayed),
        },
      };
    } finally {
      await server.stop();
    }
  },
};
