import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureChromium, freeTcpPort, type LivekitInfo } from '@tandem/devstack';
import { loadConfig, startServer, type RunningServer } from '@tandem/server';

/**
 * The real coordination server on a fixed free port and a temporary SQLite file, wired to the
 * run's livekit-server. `stop()` and `start()` take it down and bring it back on the same port
 * and database, which is what "the server went away and came back" means to a desktop.
 */
export type CoordinationServer = {
  readonly url: string;
  /** Its SQLite file, for tests that read what only the database shows (the audit log). */
  readonly databasePath: string;
  /** Every line it logged (at LOG_LEVEL); warnings and worse also reach standard output. */
  readonly log: readonly string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it for good and removes its database. */
  dispose(): Promise<void>;
};

/** pino's level of warnings. */
const WARN = 40;

/** `env`: more of the server's settings, e.g. linked-meeting providers (apps/server/src/config.ts). */
export async function coordinationServer(
  livekit: LivekitInfo,
  env: Readonly<Record<string, string>> = {},
): Promise<CoordinationServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-server-'));
  // A caller may fix the port (`PORT`), e.g. to name the server in livekit-server's webhook URL first.
  const port = env['PORT'] === undefined ? await freeTcpPort() : Number(env['PORT']);
  const databasePath = path.join(dir, 'server.db');
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    LIVEKIT_URL: livekit.wsUrl,
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    DATABASE_PATH: databasePath,
    LOG_LEVEL: 'warn',
    SEED_DEMO: '1',
    // Recordings stay with the server's temporary folder; the recorder drives the run's Chromium.
    RECORDINGS_DIR: path.join(dir, 'recordings'),
    RECORDER_CHROMIUM_PATH: ensureChromium(),
    // No speech model per server unless a test asks for captions (captions.e2e.test.ts).
    TRANSCRIPTION: 'off',
    // Files people attach in chat too.
    CHAT_FILES_DIR: path.join(dir, 'chat-files'),
    ...env,
  });
  let running: RunningServer | undefined;
  const log: string[] = [];
  const logStream = {
    write(line: string) {
      log.push(line);
      if (((JSON.parse(line) as { level?: number }).level ?? 0) >= WARN) process.stdout.write(line);
    },
  };
  const server: CoordinationServer = {
    url: `http://127.0.0.1:${port}`,
    databasePath,
    log,
    async start() {
      running ??= await startServer(config, { logStream });
    },
    async stop() {
      await running?.close();
      running = undefined;
    },
    async dispose() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
