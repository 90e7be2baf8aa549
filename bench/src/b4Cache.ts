import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from '@tandem/devstack';
import { uuidv7, type ChatEvent } from '@tandem/shared';
import { build } from 'esbuild';
import { DB_WORKER_SOURCE, openDb } from '../../apps/desktop/src/main/db/client.ts';
import type { Benchmark } from './benchmark.ts';
import { body } from './b4Corpus.ts';
import { summarise } from './stats.ts';

const CONVERSATIONS = Number(process.env['B4_CONVERSATIONS'] ?? 500);
const PER_CONVERSATION = Number(process.env['B4_PER_CONVERSATION'] ?? 2000);
const FRESH_OPENS = 20;
/** Conversations each fresh process opens once its worker runs: 20 × 10 samples of the app's figure. */
const APP_OPENS = 10;
const SEARCHES = 50;

/**
 * B4: the desktop cache (the real worker-thread SQLite client of apps/desktop) with 1M
 * messages in 500 conversations. Ingest through the same write the sync engine uses; then,
 * in fresh processes, open + read the newest 200 of one conversation (the worker's start
 * included), the newest 200 of others with the worker running (the app's figure: the app starts
 * the worker before its window), and FTS searches.
 */
export const b4Cache: Benchmark = {
  id: 'B4',
  what: 'local cache: ingest, newest 200 with the worker running (app) and in a fresh process, FTS search',
  goals: [
    { figure: 'appRead.p95', below: 10, unit: 'ms' },
    { figure: 'searchRare.p95', below: 20, unit: 'ms' },
    { figure: 'searchCommon.p95', below: 30, unit: 'ms' },
    { figure: 'ingest.perSecond', atLeast: 50_000, unit: 'messages/s' },
  ],
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-b4-'));
    const file = path.join(dir, 'cache.db');
    // The worker bundled to one JS file, as a packaged app runs it (no TypeScript loader); it
    // sits under node_modules so that better-sqlite3 resolves from it.
    const worker = path.join(repoRoot, 'node_modules', '.cache', 'tandem-bench', 'dbWorker.mjs');
    await build({
      entryPoints: [fileURLToPath(DB_WORKER_SOURCE)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['better-sqlite3'],
      outfile: worker,
      logLevel: 'warning',
    });
    const db = await openDb(file, pathToFileURL(worker));
    const author = randomUUID();
    const conversationIds = Array.from({ length: CONVERSATIONS }, () => randomUUID());
    const started = performance.now();
    let n = 0;
    for (const conversationId of conversationIds) {
      const events: ChatEvent[] = [];
      for (let seq = 1; seq <= PER_CONVERSATION; seq += 1) {
        // As every Tandem client now makes a message's id (time-ordered, so the cache's
        // client_id index grows at its end; v4 ids were random, BENCHMARKS.md B4).
        const id = uuidv7();
        events.push({
          type: 'message',
          conversationId,
          seq,
          clientId: id,
          messageId: id,
          authorId: author,
          createdAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
          body: body(n),
        });
        n += 1;
      }
      await db.write('applyChatEvents', { conversationId, events });
    }
    const ingestSeconds = (performance.now() - started) / 1000;
    await db.close();

    const reader = path.join(import.meta.dirname, 'b4Reader.ts');
    const target = conversationIds[Math.floor(CONVERSATIONS / 2)] ?? '';
    const openRead: number[] = [];
    const appRead: number[] = [];
    const openOnly: number[] = [];
    const searchRare: number[] = [];
    const searchCommon: number[] = [];
    for (let i = 0; i < FRESH_OPENS; i += 1) {
      const searches = i === 0 ? SEARCHES : 0;
      // Others than the target, different in each process: each is read the first time there.
      const others = Array.from(
        { length: APP_OPENS },
        (_, j) => conversationIds[(i * APP_OPENS + j) % CONVERSATIONS] ?? '',
      ).filter((id) => id !== target);
      const ids = [target, ...others].join(',');
      const out = spawnSync(process.execPath, ['--import', 'tsx', reader, file, ids, String(searches), worker], {
        encoding: 'utf8',
      });
      if (out.status !== 0) throw new Error(`B4 reader failed: ${out.stderr}`);
      const r = JSON.parse(out.stdout) as {
        openMs: number;
        openReadMs: number;
        appReadMs: number[];
        rows: number;
        rare: number[];
        common: number[];
      };
      if (r.rows !== 200) throw new Error(`B4 reader read ${r.rows} rows, expected 200`);
      openRead.push(r.openReadMs);
      appRead.push(...r.appReadMs);
      openOnly.push(r.openMs);
      searchRare.push(...r.rare);
      searchCommon.push(...r.common);
    }
    const dbBytes = fs.statSync(file).size;
    fs.rmSync(dir, { recursive: true, force: true });
    const o = summarise(openRead);
    const w = summarise(openOnly);
    const a = summarise(appRead);
    const sr = summarise(searchRare);
    const sc = summarise(searchCommon);
    return {
      params: {
        conversations: CONVERSATIONS,
        perConversation: PER_CONVERSATION,
        freshOpens: FRESH_OPENS,
        appOpens: FRESH_OPENS * APP_OPENS,
        searches: SEARCHES,
      },
      figures: {
        'ingest.perSecond': Math.round(n / ingestSeconds),
        'openRead.p50': o.p50,
        'openRead.p95': o.p95,
        'appRead.p50': a.p50,
        'appRead.p95': a.p95,
        'workerOpen.p50': w.p50,
        'workerOpen.p95': w.p95,
        'searchRare.p50': sr.p50,
        'searchRare.p95': sr.p95,
        'searchCommon.p50': sc.p50,
        'searchCommon.p95': sc.p95,
        'file.MiB': Math.round(dbBytes / 2 ** 20),
      },
    };
  },
};
