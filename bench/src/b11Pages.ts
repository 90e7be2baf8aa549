import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildPageSdk, launchChromium } from '@tandem/devstack';
import type { Browser } from 'playwright-core';
import { PageSession, type SocketLike } from '@tandem/page-sdk/session';
import type { PageToken, User } from '@tandem/shared';
import WebSocket from 'ws';
import type { Benchmark } from './benchmark.ts';
import { call, createOrganisation } from './orgClient.ts';
import { startBenchServer } from './serverProcess.ts';
import { summarise } from './stats.ts';
import {
  attributeLongTask,
  traceTasks,
  type FrameEntry,
  type LongTaskEntry,
  type TaskReport,
  type TraceEvent,
} from './b11Tasks.ts';

const EDITORS = Number(process.env['B11_EDITORS'] ?? 20);
const EDITS = 100;
const FIELDS = 8;
/** Loads of the host page, each in a fresh browser context (cold caches), for its long tasks. */
const LOADS = Number(process.env['B11_LOADS'] ?? 5);
/** Fields of the host page's form: a long business form (a purchase order with its lines). */
const FORM_FIELDS = 60;
/** A folder for the traced loads' Chromium traces (`BENCH_PROF`, as for the server; open them in DevTools' Performance panel). */
const PROFILE_DIR = process.env['BENCH_PROF'];
/** Another build of the drop-in script to load instead of this tree's (`B11_SDK`: to compare two versions on one machine). */
const SDK_FILE = process.env['B11_SDK'];
/** A long task, as the Long Tasks API has it. */
const LONG_TASK_MS = 50;

/**
 * A business app's page as a host serves one: a long form, the drop-in script, and the token
 * endpoint its backend answers with the API key. Observers of long tasks and long animation frames
 * (which say what scripts ran in them) are the page's first script, so every task of the load is
 * seen (buffered).
 */
function hostPage(sdkFile: string, mint: () => Promise<unknown>): Promise<Server> {
  const fields = Array.from(
    { length: FORM_FIELDS },
    (_, i) => `<label>Field ${i}<input name="field${i}" value="value ${i}"></label>`,
  ).join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Order 1</title>
<script>window.longTasks=[];window.frames_=[];new PerformanceObserver((l)=>{for(const e of l.getEntries())window.longTasks.push({startTime:e.startTime,duration:e.duration})}).observe({type:'longtask',buffered:true});new PerformanceObserver((l)=>{for(const e of l.getEntries())window.frames_.push(e.toJSON())}).observe({type:'long-animation-frame',buffered:true});</script>
SDK</head>
<body><h1>Order 1</h1><form>${fields}<textarea name="notes">Deliver to gate 4</textarea><button>Save</button></form></body></html>`;
  const sdk = readFileSync(sdkFile);
  const script = '<script src="/tandem/sdk.js" data-token-endpoint="/tandem/token" defer></script>';
  const server = createServer((req, res) => {
    if (req.url === '/order/1') res.writeHead(200, { 'content-type': 'text/html' }).end(html.replace('SDK', script));
    // The control: the same page without the SDK.
    else if (req.url === '/order/1/plain')
      res.writeHead(200, { 'content-type': 'text/html' }).end(html.replace('SDK', ''));
    else if (req.url === '/tandem/sdk.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
    else if (req.url === '/tandem/token' && req.method === 'POST')
      void mint().then(
        (token) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(token)),
        () => res.writeHead(502).end(),
      );
    else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** One load's long tasks (wall ms, as the page's Long Tasks observer saw them, and what ran in them) and, when traced, the CPU time of each of its main thread's tasks (ms) and the long and the busiest of them. */
type Load = { readonly longTasks: TaskReport[]; readonly cpu: number[]; readonly traced: TaskReport[] };

/**
 * One cold load of the host page (a fresh browser context), until 500 ms after the SDK synced
 * and drew the tools of every field (`sdk`), or 500 ms after the load event without it.
 */
async function loadOnce(browser: Browser, url: string, sdk: boolean, traced: boolean): Promise<Load> {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    // Loaded: the SDK's session heard the server's document and every field has its tools
    // (TandemPages is the drop-in's handle). The page says so through a binding rather than
    // being polled: a polling evaluation runs Playwright's own script in the page during the
    // load, a long task that is not the SDK's.
    let loaded = (): void => {};
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the SDK did not sync and draw within 15 s')), 15_000);
      loaded = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    if (sdk) {
      await tab.exposeBinding('tandemLoaded', () => loaded());
      await tab.addInitScript((tools: number) => {
        const w = window as unknown as {
          TandemPages?: { session: { on(e: string, f: () => void): void } };
          tandemLoaded(): void;
        };
        // No named function in here: tsx would wrap it in a helper the page does not have.
        // TandemPages appears a few tasks after the script, long before the session can sync.
        const started = setInterval(() => {
          if (w.TandemPages === undefined) return;
          clearInterval(started);
          w.TandemPages.session.on('synced', () => {
            const drawn = setInterval(() => {
              if (document.querySelectorAll('[data-tandem-thread]').length < tools) return;
              clearInterval(drawn);
              w.tandemLoaded();
            }, 50);
          });
        }, 5);
      }, FORM_FIELDS + 1);
    } else loaded();
    if (traced) await browser.startTracing(tab, { categories: ['toplevel', 'devtools.timeline'] });
    await tab.goto(url);
    await done;
    await tab.waitForTimeout(500);
    const raw = traced ? await browser.stopTracing() : undefined;
    if (raw !== undefined && PROFILE_DIR !== undefined)
      writeFileSync(path.join(PROFILE_DIR, `b11-${sdk ? 'sdk' : 'plain'}-${Date.now()}.json`), raw);
    const trace = raw
      ? traceTasks(
          (JSON.parse(raw.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents,
          url,
          sdk,
          LONG_TASK_MS,
        )
      : { cpu: [], reports: [] };
    const seen = await tab.evaluate(() => {
      const w = window as unknown as { longTasks: LongTaskEntry[]; frames_: FrameEntry[] };
      return { longTasks: w.longTasks, frames: w.frames_ };
    });
    const longTasks = seen.longTasks.map((t) => attributeLongTask(t, seen.frames, sdk));
    return { longTasks, cpu: trace.cpu, traced: trace.reports };
  } finally {
    await context.close();
  }
}

/**
 * B11: pages of business apps. EDITORS people of one organisation on one form (the page SDK's own
 * session code over `ws`, the server in its own process); they take turns changing a field, and
 * each change is timed to its arrival at every other editor. Also the drop-in script's size, and its
 * long tasks on a host page's load in Chromium (a 60-field form, the script, the host's token endpoint).
 */
export const b11Pages: Benchmark = {
  id: 'B11',
  what: 'field edit to its arrival at the other editors of one form; the page SDK drop-in script size',
  goals: [
    { figure: 'arrival.p95', below: 50, unit: 'ms' },
    { figure: 'sdk.gzipKB', below: 60, unit: 'KB' },
    { figure: 'load.longTaskMax', below: 50, unit: 'ms' },
  ],
  async run() {
    const sdkFile = SDK_FILE ?? buildPageSdk();
    const sdk = gzipSync(readFileSync(sdkFile)).length / 1024;
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

      // The SDK's cost on the host page at load: every long task (> 50 ms) of LOADS cold loads,
      // from navigation until 500 ms after the SDK has synced and drawn the tools of every field.
      const host = await hostPage(sdkFile, async () => ({
        ...(await call<PageToken>(server.url, 'POST', '/pages/tokens', key, {
          person: { email: emails[0] },
          page,
          url: 'http://127.0.0.1/order/1',
          title: 'Order 1',
        })),
        server: server.url,
      }));
      const browser = await launchChromium();
      const withSdk: Load[] = [];
      const without: Load[] = [];
      try {
        const at = `http://127.0.0.1:${(host.address() as AddressInfo).port}/order/1`;
        // Alternating, so that what else the machine does weighs on both alike; traced loads apart.
        for (const traced of [false, true])
          for (let n = 0; n < LOADS; n += 1) {
            withSdk.push(await loadOnce(browser, at, true, traced));
            without.push(await loadOnce(browser, `${at}/plain`, false, traced));
          }
      } finally {
        await browser.close();
        host.close();
      }
      const longest = (loads: Load[]) =>
        Math.round(Math.max(0, ...loads.flatMap((l) => l.longTasks.map((t) => t.wallMs))));
      const longestCpu = (loads: Load[]) => Math.round(Math.max(0, ...loads.flatMap((l) => l.cpu)) * 10) / 10;
      const untraced = (loads: Load[]) => loads.filter((l) => l.cpu.length === 0);
      const traced = (loads: Load[]) => loads.filter((l) => l.cpu.length > 0);
      return {
        params: {
          editors: EDITORS,
          edits: EDITS,
          fields: FIELDS,
          loads: LOADS,
          formFields: FORM_FIELDS,
          ...(SDK_FILE === undefined ? {} : { sdk: SDK_FILE }),
        },
        figures: {
          'arrival.p50': a.p50,
          'arrival.p95': a.p95,
          'arrival.max': a.max,
          'arrivals.received': arrivals.length,
          'arrivals.expected': EDITS * (sessions.length - 1),
          'sdk.gzipKB': Math.round(sdk * 10) / 10,
          'load.longTaskMax': longest(untraced(withSdk)),
          'load.longTasks': untraced(withSdk).flatMap((l) => l.longTasks).length,
          'load.withoutSdk.longTaskMax': longest(untraced(without)),
          'load.withoutSdk.longTasks': untraced(without).flatMap((l) => l.longTasks).length,
          'load.cpu.longestTaskMs': longestCpu(withSdk),
          'load.withoutSdk.cpu.longestTaskMs': longestCpu(without),
        },
        detail: {
          // Every long task of the untraced loads (wall ms; what ran, from the page's Long
          // Animation Frames entries), then of the traced loads each task of 50 ms or more and
          // each load's busiest task (wall and CPU ms; what ran, by CPU ms, from the trace).
          longTasks: untraced([...withSdk, ...without]).flatMap((l) => l.longTasks),
          tracedTasks: traced([...withSdk, ...without]).flatMap((l) => l.traced),
        },
      };
    } finally {
      for (const s of sessions) s.close();
      await server.stop();
    }
  },
};
