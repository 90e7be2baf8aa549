import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LivekitInfo } from '@tandem/devstack';
import type { AuthSession, IpcChannel, IpcEvent, IpcEventPayload, IpcResult, TranscriptSegment } from '@tandem/shared';
import { openStore, startServer, type Config, type RunningServer } from '@tandem/server';
import { startCore, type Core } from '../core.ts';
import { createIpcHandlers } from '../ipc/handlers.ts';
import { fileLogger } from '../log.ts';
import { fakeKeyStoreCipher, headlessPlatform } from '../platform/headless.ts';
import { createApiClient } from '../services/apiClient.ts';

/**
 * Fixtures for tests that cross the desktop core and the REAL coordination server (and the real
 * livekit-server behind it), over real HTTP and WebSocket with real SQLite files.
 */

export const PASSWORD = 'correct horse battery staple';

export type ServerHandle = {
  readonly url: string;
  /** Its SQLite file, to seed what only the server's own processes write (transcript segments). */
  readonly databasePath: string;
  stop(): Promise<void>;
  /** Starts it again on the same port and database file, as after a crash or a deploy. */
  restart(): Promise<void>;
};

export type RealServerOptions = {
  /** A fixed port, e.g. one named in a livekit-server's webhook URL before the server starts. */
  readonly port?: number;
  readonly accessTtlSeconds?: number;
  readonly linked?: Config['linked'];
  readonly sso?: Config['sso'];
};

export async function startRealServer(
  livekit: LivekitInfo,
  dir: string,
  options: RealServerOptions = {},
): Promise<ServerHandle> {
  const databasePath = path.join(dir, 'server.db');
  const config = (port: number) => ({
    port,
    host: '127.0.0.1',
    livekit: { wsUrl: livekit.wsUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, tokenTtlSeconds: 120 },
    databasePath,
    logLevel: 'warn' as const,
    seedDemo: false,
    auth: { accessTtlSeconds: options.accessTtlSeconds ?? 900, refreshTtlSeconds: 3600, refreshGraceSeconds: 30 },
    rateLimits: { signInPerMinute: 1000, signUpPerMinute: 1000, messagesPerMinute: 1000, scimPerMinute: 1000 },
    // Chat files stay in the test's folder, not wherever the test runs.
    chatFiles: { dir: path.join(dir, 'chat-files'), maxBytes: 100 * 1024 * 1024, linkTtlSeconds: 300 },
    ...(options.linked === undefined ? {} : { linked: options.linked }),
    ...(options.sso === undefined ? {} : { sso: options.sso }),
  });
  let running: RunningServer | null = await startServer(config(options.port ?? 0));
  const url = running.url;
  const port = Number(new URL(url).port);
  return {
    url,
    databasePath,
    async stop() {
      await running?.close();
      running = null;
    },
    async restart() {
      running = await startServer(config(port));
    },
  };
}

/** Stores transcript segments as the server's transcriber would (through its own store). */
export async function addTranscript(
  server: ServerHandle,
  organisationId: string,
  segments: readonly TranscriptSegment[],
): Promise<void> {
  const store = await openStore(server.databasePath);
  try {
    for (const segment of segments) await store.transcripts.add({ ...segment, organisationId });
  } finally {
    await store.close();
  }
}

/** An organisation with an owner and a member, made through the server's own HTTP API. */
export async function twoPeople(serverUrl: string): Promise<{ alice: AuthSession; bob: AuthSession }> {
  const api = createApiClient(serverUrl);
  const tag = crypto.randomUUID().slice(0, 8);
  const alice = await api.call('signUp', {
    body: { organisationName: `org ${tag}`, name: 'Alice', email: `alice-${tag}@tandem.example`, password: PASSWORD },
  });
  await api.call(
    'createUser',
    { body: { email: `bob-${tag}@tandem.example`, name: 'Bob', password: PASSWORD, role: 'member' } },
    alice.tokens.accessToken,
  );
  const bob = await api.call('signIn', { body: { email: `bob-${tag}@tandem.example`, password: PASSWORD } });
  return { alice, bob };
}

export type TestDesktop = {
  readonly core: Core;
  readonly events: { readonly event: IpcEvent; readonly payload: unknown }[];
  /** What main asked the OS to open (the headless platform records it). */
  readonly openedLinks: readonly string[];
  eventsOf<E extends IpcEvent>(event: E): IpcEventPayload<E>[];
};

/**
 * The desktop core on `dataDir`, with a fake OS key store (a stand-in for Electron's safeStorage)
 * whose key outlives the process, so a restart on the same folder stays signed in.
 */
export async function startTestDesktop(dataDir: string, key: Buffer, fetchImpl?: typeof fetch): Promise<TestDesktop> {
  const events: { event: IpcEvent; payload: unknown }[] = [];
  const platform = headlessPlatform({ secretCipher: fakeKeyStoreCipher(key) });
  const core = await startCore({
    dataDir,
    platform,
    emit: (event, payload) => void events.push({ event, payload }),
    reconnect: { initialMs: 100, maxMs: 1_000 },
    // An ended meeting's transcript is read again seconds after, not a minute and a half.
    transcriptRereadMs: 3_000,
    // A test's own fetch sees every request, chat writes too (which otherwise go on the socket).
    ...(fetchImpl ? { fetch: fetchImpl, chatWritesOnSocket: false } : {}),
  });
  return {
    core,
    events,
    openedLinks: platform.openedLinks,
    eventsOf: <E extends IpcEvent>(event: E) =>
      events.filter((e) => e.event === event).map((e) => e.payload as IpcEventPayload<E>),
  };
}

/**
 * Main's real IPC handlers over a test desktop, called as our own UI calls them (the sender check
 * included): what the preload would carry. Handler logs go to `logDir/ipc.log`.
 */
export function ipcOf(
  d: TestDesktop,
  logDir: string,
): (channel: IpcChannel, request: unknown) => Promise<IpcResult<unknown>> {
  const handlers = createIpcHandlers(d.core.services, {
    isTrustedSender: (url) => url.startsWith('app://tandem/'),
    log: fileLogger(path.join(logDir, 'ipc.log')),
  });
  return (channel, request) => {
    const handler = handlers.get(channel);
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    return handler(request, { url: 'app://tandem/index.html' });
  };
}

/**
 * Waits for a condition the system reaches asynchronously; fails with `what` if it never does.
 * The probe answers undefined, null or false for "not yet" (a field not set yet is often null).
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * One test file's world: a real server in its own temporary folder and the desktops started on
 * it. `close()` (after each test or after all of them, as the file chooses) closes the desktops,
 * stops the server and removes the folder.
 */
export function desktopWorld(livekit: LivekitInfo, name: string) {
  let dir: string | undefined;
  let server: ServerHandle | undefined;
  const open: TestDesktop[] = [];
  const world = {
    get dir(): string {
      if (dir === undefined) throw new Error('the world has not started');
      return dir;
    },
    get server(): ServerHandle {
      if (server === undefined) throw new Error('the world has not started');
      return server;
    },
    async start(options: RealServerOptions = {}): Promise<ServerHandle> {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `tandem-${name}-`));
      server = await startRealServer(livekit, dir, options);
      return server;
    },
    /** A desktop on its own data folder, not signed in; closed with the world. */
    async desktop(label: string, key: Buffer = crypto.randomBytes(32), fetchImpl?: typeof fetch): Promise<TestDesktop> {
      const d = await startTestDesktop(path.join(world.dir, label), key, fetchImpl);
      open.push(d);
      return d;
    },
    /** A desktop signed in as `email` and online. */
    async signedIn(label: string, email: string, fetchImpl?: typeof fetch): Promise<TestDesktop> {
      const d = await world.desktop(label, undefined, fetchImpl);
      await d.core.services.auth.signIn(world.server.url, email, PASSWORD);
      await until(`${label} online`, async () => d.core.services.connection.status() === 'online');
      return d;
    },
    /** Main's IPC handlers over one of the world's desktops (see `ipcOf`). */
    ipc: (d: TestDesktop) => ipcOf(d, world.dir),
    /** Leaves a desktop the test closed itself out of the world's closing. */
    forget(d: TestDesktop): void {
      open.splice(open.indexOf(d), 1);
    },
    async close(): Promise<void> {
      for (const d of open.splice(0)) await d.core.close().catch(() => undefined);
      await server?.stop();
      server = undefined;
      if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
  return world;
}
