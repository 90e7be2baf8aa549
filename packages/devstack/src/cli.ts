/**
 * The project's entry points: `npm run setup`, `npm start` and `npm test` all come here.
 *   setup  finds or installs livekit-server, Chromium, ffmpeg, espeak-ng, the speech model's
 *          Python venv (.tools/speech-venv), PostgreSQL and redis-server, says what is missing otherwise
 *   start  livekit-server + the coordination server + the desktop app (where Electron can launch),
 *          after making better-sqlite3's Electron build when it is missing or stale
 *   demo-pages  `start`, then the Flask-AppBuilder demo (examples/flask-appbuilder) with the page SDK,
 *          an API key of the demo organisation minting its page tokens (`npm run demo:pages`)
 *   rebuild-electron  makes better-sqlite3's Electron build (`npm run rebuild:electron`)
 *   test   setup, then typecheck, lint, unit tests (the server's again on PostgreSQL: test:postgres)
 *          and end-to-end tests through turbo, then one
 *          closing line `N passed, N failed` totalled over every suite
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureChromium, ensureCjkFonts } from './chromium.ts';
import { ensureFfmpeg } from './ffmpeg.ts';
import { desktopStart, ensureElectronNative } from './electronNative.ts';
import { probeElectron } from './electronProbe.ts';
import { ensureLivekit, startLivekit } from './livekit.ts';
import { ensurePostgres } from './postgres.ts';
import { ensureRedis } from './redis.ts';
import { ensureRtmpServer } from './rtmp.ts';
import { dataDir, logsDir, repoRoot, testResultsDir } from './paths.ts';
import { spawnOwned } from './processes.ts';
import { SetupError } from './setupError.ts';
import { ensureSip, ensureSipp } from './sip.ts';
import { ensureEspeak, ensureSpeech, speechSidecar } from './speech.ts';
import { ensurePagesDemo, startPagesDemo, type RunningPagesDemo } from './pagesDemo.ts';
import { totalResults } from './testTotals.ts';

const say = (line: string): void => {
  process.stdout.write(`[tandem] ${line}\n`);
};

async function setup(): Promise<void> {
  const livekit = await ensureLivekit(say);
  say(`livekit-server: ${livekit}`);
  say(`chromium: ${ensureChromium(say)}`);
  say(`Japanese font: ${ensureCjkFonts(say)}`);
  say(`ffmpeg: ${ensureFfmpeg(say)}`);
  // Live streaming's tests push to a local RTMP server.
  say(`nginx-rtmp: ${ensureRtmpServer(say)}`);
  say(`speech model: ${ensureSpeech(say)}`);
  say(`espeak-ng: ${ensureEspeak(say)}`);
  // The store's PostgreSQL tests and the several-instance tests start their own servers from these.
  say(`postgresql: ${ensurePostgres(say)}`);
  say(`redis-server: ${ensureRedis(say)}`);
  // Phone dial-in, dial-out and the audio bridge: livekit-sip (built with Go) and the SIP agent tests call with.
  say(`livekit-sip: ${ensureSip(say)}`);
  say(`sipp: ${ensureSipp(say)}`);
  say(`pages demo: ${ensurePagesDemo(say)}`);
}

function run(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: repoRoot, ...options });
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

async function test(): Promise<number> {
  await setup();
  fs.rmSync(testResultsDir, { recursive: true, force: true });
  fs.rmSync(path.join(repoRoot, '.turbo', 'runs'), { recursive: true, force: true });
  const turboArgs = [
    'turbo',
    'run',
    'typecheck',
    'lint',
    'test',
    'test:postgres',
    'e2e',
    '--continue',
    '--summarize',
    '--concurrency=2',
  ];
  const code = await run('npx', turboArgs, { env: { ...process.env, FORCE_COLOR: '1' } });
  const totals = totalResults(testResultsDir, path.join(repoRoot, '.turbo', 'runs'));
  for (const task of totals.failedTasks) say(`failed: ${task}`);
  for (const test of totals.flaky) say(`flaky (passed when tried again): ${test}`);
  process.stdout.write(`${totals.passed} passed, ${totals.failed} failed\n`);
  return code !== 0 || totals.failed > 0 ? 1 : 0;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** The demo people `SEED_DEMO` makes (apps/server/src/services/demo.ts), as the pages demo signs them in. */
const DEMO_PEOPLE = ['ada@tandem.example:Ada Demo', 'grace@tandem.example:Grace Demo'];
const DEMO_PASSWORD = 'tandem-demo-password';

/** Next to the stack: the Flask-AppBuilder demo, with an API key of the demo organisation (made by its owner, Ada). */
async function startPagesDemoNextTo(serverUrl: string): Promise<RunningPagesDemo> {
  const post = async (p: string, body: unknown, token?: string): Promise<unknown> => {
    const r = await fetch(`${serverUrl}${p}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${p} answered ${r.status}`);
    return r.json();
  };
  const session = (await post('/auth/signin', { email: 'ada@tandem.example', password: DEMO_PASSWORD })) as {
    tokens: { accessToken: string };
  };
  const { key } = (await post(
    '/integrations/api-keys',
    { name: 'Procurement demo (pages)', scopes: ['pages:write'] },
    session.tokens.accessToken,
  )) as { key: string };
  const demo = await startPagesDemo({
    tandemUrl: serverUrl,
    apiKey: key,
    users: DEMO_PEOPLE,
    password: DEMO_PASSWORD,
    database: path.join(dataDir, 'pages-demo.db'),
    logFile: path.join(logsDir, 'pages-demo.log'),
    port: Number(process.env['DEMO_PAGES_PORT'] ?? 5000),
  });
  say(`pages demo      ${demo.url}  (sign in as ada@tandem.example or grace@tandem.example, ${DEMO_PASSWORD})`);
  return demo;
}

async function start(withPagesDemo = false): Promise<void> {
  await setup();
  const serverPort = Number(process.env['PORT'] ?? 8787);
  const livekit = await startLivekit({
    port: Number(process.env['LIVEKIT_PORT'] ?? 7880),
    webhookUrls: [`http://127.0.0.1:${serverPort}/livekit/webhook`],
  });
  say(`livekit-server  ${livekit.wsUrl}`);
  fs.mkdirSync(logsDir, { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true });
  // The renderer's build is the desktop app's UI and, served by the server at /app/, the browser client.
  say('building the desktop app (main, preload, renderer)…');
  if ((await run('npm', ['run', 'build', '--workspace', '@tandem/desktop'])) !== 0) {
    throw new Error('the desktop build failed; see its output above');
  }
  const serverLog = path.join(logsDir, 'server.log');
  fs.rmSync(serverLog, { force: true });
  const server = spawnOwned(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'apps/server/src/main.ts')],
    serverLog,
    {
      PORT: String(serverPort),
      LIVEKIT_URL: livekit.wsUrl,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      SEED_DEMO: '1',
      DATABASE_PATH: process.env['DATABASE_PATH'] ?? path.join(dataDir, 'server.db'),
      // The recorder drives the same Chromium the set-up found; recordings stay with the data.
      RECORDER_CHROMIUM_PATH: ensureChromium(),
      RECORDINGS_DIR: process.env['RECORDINGS_DIR'] ?? path.join(dataDir, 'recordings'),
      // Captions: the speech sidecar in the venv the set-up made.
      SPEECH_PYTHON: ensureSpeech(),
      SPEECH_SIDECAR: speechSidecar,
      CHAT_FILES_DIR: process.env['CHAT_FILES_DIR'] ?? path.join(dataDir, 'chat-files'),
    },
  );
  await waitForHttp(`http://127.0.0.1:${serverPort}/healthz`, 30_000);
  say(`server          http://127.0.0.1:${serverPort}  (log: ${serverLog})`);
  say(`browser client  http://127.0.0.1:${serverPort}/app/  (join links: /j/<code>)`);
  for (const line of fs.readFileSync(serverLog, 'utf8').split('\n')) {
    if (line.startsWith('demo sign-in:')) say(line);
  }
  const pagesDemo = withPagesDemo ? await startPagesDemoNextTo(`http://127.0.0.1:${serverPort}`) : undefined;
  // The cache worker inside Electron loads its own build of better-sqlite3, made here first.
  const electron = await desktopStart(probeElectron(), () => ensureElectronNative(say));
  let desktop: ReturnType<typeof spawnOwned> | undefined;
  if (electron.launch) {
    desktop = spawnOwned(electron.binary, [path.join(repoRoot, 'apps/desktop')], path.join(logsDir, 'desktop.log'));
    say('desktop app started');
  } else {
    say(`desktop app not started: ${electron.reason}; the servers stay up.`);
  }
  say('Ctrl-C stops everything.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  say('stopping…');
  await Promise.all([desktop?.stop(), pagesDemo?.stop(), server.stop(), livekit.stop()]);
}

async function main(): Promise<number> {
  const command = process.argv[2];
  switch (command) {
    case 'setup':
      await setup();
      return 0;
    case 'start':
      await start();
      return 0;
    case 'demo-pages':
      await start(true);
      return 0;
    case 'test':
      return test();
    case 'rebuild-electron':
      await ensureElectronNative(say, { force: true });
      return 0;
    default:
      say(`unknown command ${command ?? '(none)'}: use setup, start, demo-pages, test or rebuild-electron`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SetupError) say(`set-up failed: ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
