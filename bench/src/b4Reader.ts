/**
 * B4's fresh process: `b4Reader.ts <cache file> <conversationIds> <searches> <bundled worker>`. Times
 * opening the cache (worker start + migrations check) and reading the newest 200 messages of the
 * first conversation; then, the worker running as it is in the app, reading the newest 200 of each
 * other one (a conversation not read before in this process, as when someone opens it); then runs
 * the searches. Prints one JSON object.
 */
import { pathToFileURL } from 'node:url';
import { openDb } from '../../apps/desktop/src/main/db/client.ts';
import { COMMON_TERM, RARE_TERM } from './b4Corpus.ts';

const [file, conversationIds, searches, worker] = process.argv.slice(2);
const [conversationId, ...others] = conversationIds?.split(',') ?? [];
if (file === undefined || conversationId === undefined || worker === undefined) {
  throw new Error('usage: b4Reader.ts <file> <conversationId,…> <searches> <bundled worker>');
}
const start = performance.now();
const db = await openDb(file, pathToFileURL(worker));
const openMs = performance.now() - start;
const rows = await db.read('messages', { conversationId, limit: 200 });
const openReadMs = performance.now() - start;
const appReadMs: number[] = [];
for (const other of others) {
  const t = performance.now();
  const page = await db.read('messages', { conversationId: other, limit: 200 });
  appReadMs.push(performance.now() - t);
  if (page.length !== 200) throw new Error(`read ${page.length} rows of ${other}, expected 200`);
}
const time = async (query: string): Promise<number> => {
  const t = performance.now();
  await db.read('search', { query, limit: 50 });
  return performance.now() - t;
};
const rare: number[] = [];
const common: number[] = [];
for (let i = 0; i < Number(searches ?? 0); i += 1) {
  rare.push(await time(RARE_TERM));
  common.push(await time(COMMON_TERM));
}
await db.close();
process.stdout.write(JSON.stringify({ openMs, openReadMs, appReadMs, rows: rows.length, rare, common }));
