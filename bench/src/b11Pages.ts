import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildPageSdk } from '@tandem/devstack';
import { PageSession, type SocketLike } from '@tandem/page-sdk/session';
import type { PageToken, User } from '@tandem/shared';
import WebSocket from 'ws';
import type { Benchmark } from './benchmark.ts';
import { call, createOrganisation } from './orgClient.ts';
import { startBenchServer } from './serverProcess.ts';
import { summarise } from './stats.ts';

const EDITORS = Number(process.env['B11_EDITORS'] ?? 20);
const EDITS = 100;
const FIELDS = 8;

/**
 * B11: pages of business apps. EDITORS people of one organisation on one form (the page SDK's own
 * session code over `ws`, the server in its own process); they take turns changing a field, and
 * each change is timed to its arrival at every other editor. Also the drop-in script's size.
 */
export const b11Pages: Benchmark = {
  id: 'B11',
  what: 'field edit to its arrival at the other editors of one form; the page SDK drop-in script size',
  goals: [
    { figure: 'arrival.p95', below: 50, unit: 'ms' },
    { figure: 'sdk.gzipKB', below: 60, unit: 'KB' },
  ],
  async run() {
    const sdk = gzipSync(readFileSync(buildPageSdk())).length / 1024;
    const server = await startBenchServer();
    const sessions: PageSession[] = [];
    try {
      const { owner, members } = await createOrganisation(server.url, EDITORS);
      const token = owner.tokens.accessToken;
      const { key } = await call<{ key: string }>(server.url, 'POST', '/integrations/api-keys', token, {
        name: 'bench pages',
        scopes: ['pages:write'],
      });
      const { users } = await call<{ users: User[] }>(server.url, 'GET', '/users', token);
      const emails = members.map((m) => users.find((u) => u.id === m.userId)?.email ?? '');
      const page = { app: 'bench', view: 'OrderView', recordId: '1' };
      const arrivals: number[] = [];
      let expected: { value: string; at: number; from: number; seen: number } | undefined;
      for (const [i, email] of emails.entries()) {
        const t = await call<PageToken>(server.url, 'POST', '/pages/tokens', key, {
          person: { email },
          page,
          url: 'http://127.0.0.1/order/1',
          title: 'Order 1',
        });
        const s = new PageSession((url) => new WebSocket(url) as unknown as SocketLike);
        await s.connect(`${server.url.replace(/^http/, 'ws')}${t.socketPath}`, t.token);
        s.fields.observe((e) => {
          if (expected === undefined || i === expected.from) return;
          for (const k of e.keysChanged)
            if (s.fields.get(k) === expected.value) {
              arrivals.push(performance.now() - expected.at);
              expected.seen += 1;
            }
        });
        sessions.push(s);
      }
      await new Promise((r) => setTimeout(r, 1000));
      for (let n = 0; n < EDITS; n += 1) {
        const from = n % sessions.length;
        const value = `value ${n}`;
        expected = { value, at: performance.now(), from, seen: 0 };
        sessions[from]?.fields.set(`field${n % FIELDS}`, value);
        const deadline = Date.now() + 5000;
        while (expected.seen < sessions.length - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
        await new Promise((r) => setTimeout(r, 20));
      }
      const a = summarise(arrivals);
      return {
        params: { editors: EDITORS, edits: EDITS, fields: FIELDS },
        figures: {
          'arrival.p50': a.p50,
          'arrival.p95': a.p95,
          'arrival.max': a.max,
          'arrivals.received': arrivals.length,
          'arrivals.expected': EDITS * (sessions.length - 1),
          'sdk.gzipKB': Math.round(sdk * 10) / 10,
        },
      };
    } finally {
      for (const s of sessions) s.close();
      await server.stop();
    }
  },
};
