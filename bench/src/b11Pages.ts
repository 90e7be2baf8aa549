import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

const EDITORS = Number(process.env['B11_EDITORS'] ?? 20);
const EDITS = 100;
const FIELDS = 8;
/** Loads of the host page, each in a fresh browser context (cold caches), for its long tasks. */
const LOADS = Number(process.env['B11_LOADS'] ?? 5);
/** Fields of the host page's form: a long business form (a purchase order with its lines). */
const FORM_FIELDS = 60;

/**
 * A business app's page as a host serves one: a long form, the drop-in script, and the token
 * endpoint its backend answers with the API key. A long-task observer is the page's first script,
 * so every task of the load is seen (buffered).
 */
function hostPage(sdkFile: string, mint: () => Promise<unknown>): Promise<Server> {
  const fields = Array.from(
    { length: FORM_FIELDS },
    (_, i) => `<label>Field ${i}<input name="field${i}" value="value ${i}"></label>`,
  ).join('\n');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Order 1</title>
<script>window.longTasks=[];new PerformanceObserver((l)=>{for(const e of l.getEntries())window.longTasks.push(e.duration)}).observe({type:'longtask',buffered:true});</script>
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

/** One load's long tasks (ms, as the page's Long Tasks observer saw them) and, when traced, the CPU time of each of its main thread's tasks (ms). */
type Load = { readonly longTasks: number[]; readonly cpu: number[] };

/**
 * The CPU (thread) time of each task of the page's main thread in a Chromium trace of its load.
 * A task's wall time on a busy machine includes the time its thread waited for a core; its CPU
 * time is what it costs, about what it would take on an idle machine.
 */
function taskCpuMs(trace: Buffer, url: string): number[] {
  type Event = {
    readonly name: string;
    readonly ph: string;
    readonly pid: number;
    readonly tid: number;
    readonly tdur?: number;
    readonly args?: {
      readonly name?: string;
      readonly data?: { readonly url?: unknown };
      readonly beginData?: { readonly url?: unknown };
    };
  };
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: Event[] }).traceEvents;
  // The renderer that loaded the page, and its main thread.
  const pids = new Set(events.filter((e) => (e.args?.beginData ?? e.args?.data)?.url === url).map((e) => e.pid));
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && pids.has(e.pid))
      .map((e) => `${e.pid}:${e.tid}`),
  );
  return events
    .filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => (e.tdur ?? 0) / 1000);
}

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
        addEventListener('DOMContentLoaded', () =>
          w.TandemPages?.session.on('synced', () => {
            const timer = setInterval(() => {
              if (document.querySelectorAll('[data-tandem-thread]').length < tools) return;
              clearInterval(timer);
              w.tandemLoaded();
            }, 50);
          }),
        );
      }, FORM_FIELDS + 1);
    } else loaded();
    if (traced) await browser.startTracing(tab, { categories: ['toplevel', 'devtools.timeline'] });
    await tab.goto(url);
    await done;
    await tab.waitForTimeout(500);
    const cpu = traced ? taskCpuMs(await browser.stopTracing(), url) : [];
    const longTasks = await tab.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    return { longTasks, cpu };
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
    const sdkFile = buildPageSdk();
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
      const longest = (loads: Load[]) => Math.round(Math.max(0, ...loads.flatMap((l) => l.longTasks)));
      const longestCpu = (loads: Load[]) => Math.round(Math.max(0, ...loads.flatMap((l) => l.cpu)) * 10) / 10;
      const untraced = (loads: Load[]) => loads.filter((l) => l.cpu.length === 0);
      return {
        params: { editors: EDITORS, edits: EDITS, fields: FIELDS, loads: LOADS, formFields: FORM_FIELDS },
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
      };
    } finally {
      for (const s of sessions) s.close();
      await server.stop();
    }
  },
};
