/**
 * `npm run bench [ID…]`: runs the benchmarks (all, or those named), prints one JSON line per
 * benchmark with the machine, parameters, figures and each goal's verdict, and writes it to
 * bench/results/. Not part of `npm test`: benchmarks measure, tests assert.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { b1Join } from './b1Join.ts';
import { b2Fanout } from './b2Fanout.ts';
import { b2xCluster } from './b2xCluster.ts';
import { b3Presence, b3xPresence } from './b3Presence.ts';
import { b4Cache } from './b4Cache.ts';
import { b5RendererStart } from './b5RendererStart.ts';
import { b6Breakout } from './b6Breakout.ts';
import { b7GuestJoin } from './b7GuestJoin.ts';
import { b8Captions } from './b8Captions.ts';
import { b8Notes } from './b8Notes.ts';
import { b8Recorder } from './b8Recorder.ts';
import { b9Effects } from './b9Effects.ts';
import { b10Resume } from './b10Resume.ts';
import { b11Pages } from './b11Pages.ts';
import { judge, type Benchmark } from './benchmark.ts';
import { describeMachine } from './machine.ts';

const ALL: readonly Benchmark[] = [
  b1Join,
  b2Fanout,
  b2xCluster,
  b3Presence,
  b3xPresence,
  b4Cache,
  b5RendererStart,
  b6Breakout,
  b7GuestJoin,
  b8Captions,
  b8Notes,
  b8Recorder,
  b9Effects,
  b10Resume,
  b11Pages,
];

const resultsDir = path.join(import.meta.dirname, '..', 'results');
const wanted = process.argv.slice(2).map((a) => a.toUpperCase());
const selected = wanted.length === 0 ? ALL : ALL.filter((b) => wanted.includes(b.id));
if (selected.length === 0) {
  process.stderr.write(`no benchmark matches ${wanted.join(', ')}; known: ${ALL.map((b) => b.id).join(', ')}\n`);
  process.exit(2);
}

const machine = describeMachine();
const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
fs.mkdirSync(resultsDir, { recursive: true });
for (const bench of selected) {
  const { params, figures, detail } = await bench.run();
  const line = {
    id: bench.id,
    what: bench.what,
    at: new Date().toISOString(),
    commit,
    machine,
    params,
    figures,
    goals: judge(bench.goals, figures),
    ...(detail === undefined ? {} : { detail }),
  };
  const json = JSON.stringify(line);
  process.stdout.write(`${json}\n`);
  fs.writeFileSync(path.join(resultsDir, `${bench.id}.json`), `${json}\n`);
}
