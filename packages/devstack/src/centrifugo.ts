import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildGoCommand } from './goBuild.ts';
import { logsDir, toolsDir } from './paths.ts';
import { freeTcpPort } from './ports.ts';
import { spawnOwned } from './processes.ts';

/**
 * The Centrifugo release the B2 peer harness compares the coordination server with (a Go
 * messaging server: per-channel history, idempotent publish). Only the benchmark needs it.
 */
export const CENTRIFUGO_VERSION = '6.9.1';

const MODULE = 'github.com/centrifugal/centrifugo/v6';
const cachedBinary = path.join(toolsDir, 'centrifugo', CENTRIFUGO_VERSION, 'centrifugo');

/**
 * Finds Centrifugo cached in .tools/, or builds it there with Go from the module proxy (minutes
 * the first time; a pure-Go build, no C libraries). Throws a SetupError when Go is missing.
 */
export function ensureCentrifugo(log: (line: string) => void = () => {}): string {
  if (fs.existsSync(cachedBinary)) return cachedBinary;
  buildGoCommand(
    {
      name: `Centrifugo ${CENTRIFUGO_VERSION}`,
      pkg: MODULE,
      version: CENTRIFUGO_VERSION,
      binary: cachedBinary,
      env: { CGO_ENABLED: '0' },
      // What `centrifugo version` prints; a release build sets it the same way.
      ldflags: `-X ${MODULE}/internal/build.Version=${CENTRIFUGO_VERSION}`,
    },
    log,
  );
  return cachedBinary;
}

/** The namespace every benchmark channel is in (`room:<name>`). */
export const CENTRIFUGO_NAMESPACE = 'room';

export type CentrifugoSettings = {
  readonly port: number;
  /** Signs connection JWTs (HS256). */
  readonly tokenSecret: string;
  /** The server HTTP API's key (`X-API-Key`). */
  readonly apiKey: string;
};

/**
 * Centrifugo's config.json: loopback only, JWT connections, the HTTP API behind a key, and one
 * namespace whose channels keep their publications (history, like Tandem's chat log, though in
 * memory) and that clients may subscribe and publish to (a subscriber's publish on its socket). Publishes with an idempotency key are remembered
 * (the memory broker keeps their results 5 minutes), as Tandem answers a resent clientId.
 */
function centrifugoConfig(settings: CentrifugoSettings): string {
  return JSON.stringify(
    {
      http_server: { address: '127.0.0.1', port: settings.port },
      log: { level: 'warn' },
      usage_stats: { disabled: true },
      health: { enabled: true },
      client: { token: { hmac_secret_key: settings.tokenSecret } },
      http_api: { key: settings.apiKey },
      channel: {
        namespaces: [
          {
            name: CENTRIFUGO_NAMESPACE,
            history_size: 1000,
            history_ttl: '1h',
            force_recovery: true,
            allow_subscribe_for_client: true,
            // B2 posts on a subscriber's socket as Tandem's apps do (client publish), or with the HTTP API.
            allow_publish_for_subscriber: true,
          },
        ],
      },
    },
    null,
    2,
  );
}

export type RunningCentrifugo = CentrifugoSettings & {
  readonly httpUrl: string;
  /** Clients connect here (Centrifugo's bidirectional WebSocket, JSON protocol). */
  readonly wsUrl: string;
  readonly pid: number;
  stop(): Promise<void>;
};

/** Starts Centrifugo on a free loopback port with a fresh secret and API key; waits for /health. */
export async function startCentrifugo(): Promise<RunningCentrifugo> {
  const binary = ensureCentrifugo();
  const settings: CentrifugoSettings = {
    port: await freeTcpPort(),
    tokenSecret: randomBytes(32).toString('hex'),
    apiKey: randomBytes(16).toString('hex'),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-centrifugo-'));
  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, centrifugoConfig(settings));
  fs.mkdirSync(logsDir, { recursive: true });
  const logFile = path.join(logsDir, `centrifugo-${settings.port}.log`);
  const proc = spawnOwned(binary, ['--config', configFile], logFile);
  const stop = async (): Promise<void> => {
    await proc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const httpUrl = `http://127.0.0.1:${settings.port}`;
  const deadline = Date.now() + 20_000;
  while (
    !(await fetch(`${httpUrl}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Centrifugo did not answer on ${httpUrl}/health; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = proc.child.pid;
  if (pid === undefined) throw new Error('Centrifugo has no pid');
  return { ...settings, httpUrl, wsUrl: `ws://127.0.0.1:${settings.port}/connection/websocket`, pid, stop };
}
