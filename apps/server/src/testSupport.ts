import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ROUTES,
  ServerMessageSchema,
  SPECIAL_PATHS,
  WS_PATH,
  type ApiError,
  type AuthSession,
  type JoinResult,
  type LivekitConnection,
  type RouteName,
  type RouteResponse,
  type ServerMessage,
} from '@tandem/shared';
import type { LivekitInfo } from '@tandem/devstack';
import { inject } from 'vitest';
import WebSocket from 'ws';
import {
  defaultChatFilesConfig,
  recordingConfig,
  transcriptionConfig,
  type ChatFilesConfig,
  type Config,
  type RecordingConfig,
  type TranscriptionConfig,
} from './config.ts';
import { startServer, type RunningServer } from './index.ts';
import { webhookAuthorization } from './livekit/signedWebhook.ts';
import { isPostgresUrl } from './store/db.ts';
import { statementOn } from './store/testStatements.ts';
import { freshPostgresDatabase } from './testDatabases.ts';

/** Shared by the server's tests: a real server on a free port with its own SQLite file. */

export type TestServer = RunningServer & {
  readonly databasePath: string;
  /** Where this server keeps recordings (its own folder unless overridden). */
  readonly recordingsDir: string;
  /** Where this server keeps chat files (its own folder unless overridden). */
  readonly chatFilesDir: string;
  readonly api: Api;
  /** Stops it and starts it again on the same database and folders (on a new port unless one was fixed). */
  restart(): Promise<TestServer>;
};

export type TestServerOptions = {
  readonly port?: number;
  readonly rateLimits?: Partial<Config['rateLimits']>;
  readonly auth?: Partial<Config['auth']>;
  readonly externalGuests?: boolean;
  /** Seconds an ask for an expert rings. */
  readonly expertRingSeconds?: number;
  /** How often open visits are checked against LiveKit, and their grace (30 s and 30 s by default). */
  readonly reconcile?: Config['reconcile'];
  /** Seconds someone waiting in a lobby may be offline before their entry goes (60 by default). */
  readonly lobbyAbandonSeconds?: number;
  readonly webAppDir?: string;
  readonly webhooks?: Partial<NonNullable<Config['webhooks']>>;
  readonly sso?: Config['sso'];
  /** Recordings go to the test's own folder unless `dir` says otherwise. */
  readonly recording?: Partial<RecordingConfig>;
  /** Off unless a test turns it on (each server would load the speech model otherwise); the venv's Python by default. */
  readonly transcription?: Partial<TranscriptionConfig>;
  /** Chat files go to the test's own folder unless `dir` says otherwise. */
  readonly chatFiles?: Partial<ChatFilesConfig>;
  /** Meeting notes' language model (a local server speaking the chat-completions wire format); none by default. */
  readonly notesLlm?: Config['notesLlm'];
  /** Phone calls through livekit-sip (a livekit-server started with `startSip()`); none by default. */
  readonly phone?: Config['phone'];
  /** Linked-meeting providers (a local fake of their clouds, providers/testing/fakeProviders.ts); none by default. */
  readonly linked?: Config['linked'];
  /** Live streaming to loopback (a local RTMP server) needs `{ allowPrivate: true }`. */
  readonly streaming?: Config['streaming'];
  /** The vault keyring (`id:base64`) that seals provider tokens and stream keys, without providers; none by default. */
  readonly tokenKeys?: string;
  /**
   * A PostgreSQL server's superuser URL: the server gets a fresh database of its own there (see
   * testDatabases.ts) instead of a SQLite file. TANDEM_TEST_STORE=postgres does the same for
   * every test server of a run, in the run's own PostgreSQL, to run a whole suite on it.
   */
  readonly postgres?: string;
  /**
   * Another test server's store (its `databasePath`, a SQLite file or a PostgreSQL URL): two
   * servers on one database with no bus between them, each knowing only what it read itself.
   * The first server's `close` removes the database.
   */
  readonly databasePath?: string;
};

export async function startTestServer(livekit: LivekitInfo, overrides: TestServerOptions = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-server-'));
  if (overrides.databasePath !== undefined) return launchTestServer(livekit, overrides, dir, overrides.databasePath);
  const postgres = overrides.postgres ?? (inject('testStore') === 'postgres' ? inject('postgres') : null);
  if (postgres === null) return launchTestServer(livekit, overrides, dir, path.join(dir, 'server.db'));
  const database = await freshPostgresDatabase(postgres);
  const server = await launchTestServer(livekit, overrides, dir, database.url);
  return withDrop(server, database.drop);
}

/** The server, whose close (also after restarts) drops its database as well. */
function withDrop(server: TestServer, drop: () => Promise<void>): TestServer {
  return {
    ...server,
    async close() {
      await server.close();
      await drop();
    },
    async restart() {
      return withDrop(await server.restart(), drop);
    },
  };
}

async function launchTestServer(
  livekit: LivekitInfo,
  overrides: TestServerOptions,
  dir: string,
  databasePath: string,
): Promise<TestServer> {
  const recording = { ...recordingConfig({}), dir: path.join(dir, 'recordings'), ...overrides.recording };
  const chatFiles = { ...defaultChatFilesConfig, dir: path.join(dir, 'chat-files'), ...overrides.chatFiles };
  const server = await startServer({
    port: overrides.port ?? 0,
    host: '127.0.0.1',
    livekit: { wsUrl: livekit.wsUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, tokenTtlSeconds: 60 },
    databasePath,
    logLevel: 'warn',
    seedDemo: false,
    auth: { accessTtlSeconds: 900, refreshTtlSeconds: 3600, refreshGraceSeconds: 30, ...overrides.auth },
    rateLimits: {
      signInPerMinute: 1000,
      signUpPerMinute: 1000,
      messagesPerMinute: 1000,
      scimPerMinute: 1000,
      ...overrides.rateLimits,
    },
    ...(overrides.externalGuests === undefined ? {} : { externalGuests: overrides.externalGuests }),
    ...(overrides.expertRingSeconds === undefined ? {} : { expertRingSeconds: overrides.expertRingSeconds }),
    ...(overrides.reconcile === undefined ? {} : { reconcile: overrides.reconcile }),
    ...(overrides.lobbyAbandonSeconds === undefined ? {} : { lobbyAbandonSeconds: overrides.lobbyAbandonSeconds }),
    ...(overrides.webAppDir === undefined ? {} : { webAppDir: overrides.webAppDir }),
    ...(overrides.webhooks === undefined
      ? {}
      : {
          webhooks: {
            allowPrivate: false,
            maxAttempts: 8,
            retryBaseMs: 10_000,
            timeoutMs: 10_000,
            disableAfterFailures: 20,
            ...overrides.webhooks,
          },
        }),
    ...(overrides.sso === undefined ? {} : { sso: overrides.sso }),
    recording,
    transcription: { ...transcriptionConfig({}), allowed: false, ...overrides.transcription },
    chatFiles,
    ...(overrides.notesLlm === undefined ? {} : { notesLlm: overrides.notesLlm }),
    ...(overrides.phone === undefined ? {} : { phone: overrides.phone }),
    ...(overrides.streaming === undefined ? {} : { streaming: overrides.streaming }),
    ...(overrides.tokenKeys === undefined ? {} : { linked: { tokenKeys: overrides.tokenKeys, providers: {} } }),
    ...(overrides.linked === undefined ? {} : { linked: overrides.linked }),
  });
  return {
    ...server,
    databasePath,
    recordingsDir: recording.dir,
    chatFilesDir: chatFiles.dir,
    api: api(server.url),
    async close() {
      await server.close();
      if (dir !== null) fs.rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await server.close();
      return launchTestServer(livekit, overrides, dir, databasePath);
    },
  };
}

type CallOptions = {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly body?: unknown;
  readonly token?: string;
};

export type Reply<N extends RouteName> =
  | { readonly status: 200 | 201; readonly body: RouteResponse<N> }
  | { readonly status: number; readonly body: ApiError };

export type Api = {
  call<N extends RouteName>(name: N, options?: CallOptions): Promise<Reply<N>>;
  /** Calls and insists on success, so a test reads the answer directly. */
  ok<N extends RouteName>(name: N, options?: CallOptions): Promise<RouteResponse<N>>;
  raw(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<Response>;
};

export function api(baseUrl: string): Api {
  const call = async <N extends RouteName>(name: N, o: CallOptions = {}): Promise<Reply<N>> => {
    const route = ROUTES[name];
    const filled = route.path.replace(/:([A-Za-z]+)/g, (_m, key: string) => encodeURIComponent(o.params?.[key] ?? ''));
    const query =
      o.query === undefined
        ? ''
        : `?${new URLSearchParams(Object.entries(o.query).map(([k, v]): [string, string] => [k, String(v)]))}`;
    const response = await fetch(`${baseUrl}${filled}${query}`, {
      method: route.method,
      headers: {
        ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(o.token === undefined ? {} : { authorization: `Bearer ${o.token}` }),
      },
      ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
    });
    return { status: response.status, body: (await response.json()) as never };
  };
  return {
    call,
    async ok(name, o) {
      const reply = await call(name, o);
      if (reply.status !== 200 && reply.status !== 201) {
        throw new Error(`${name} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      }
      return reply.body as RouteResponse<typeof name>;
    },
    raw: (method, p, init = {}) => fetch(`${baseUrl}${p}`, { method, ...init }),
  };
}

/**
 * Posts a LiveKit webhook (`event`: its JSON body) to the server as LiveKit does: signed with
 * `livekit`'s API key and secret over the body's SHA-256, and answers the reply.
 */
export async function postLivekitWebhook(
  server: Pick<TestServer, 'api'>,
  livekit: Pick<LivekitInfo, 'apiKey' | 'apiSecret'>,
  event: Readonly<Record<string, unknown>>,
): Promise<Response> {
  const body = JSON.stringify(event);
  const authorization = await webhookAuthorization(livekit.apiKey, livekit.apiSecret, body);
  return server.api.raw('POST', SPECIAL_PATHS.livekitWebhook, {
    headers: { 'content-type': 'application/webhook+json', authorization },
    body,
  });
}

let counter = 0;
export const uniqueEmail = (who: string): string => `${who}-${Date.now()}-${++counter}@tandem.example`;
export const PASSWORD = 'correct horse battery';
/** A UUIDv7 (RFC 9562 §5.7): what `orderedId` makes (services/context.ts). */
export const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export async function signUp(a: Api, who: string): Promise<AuthSession> {
  return a.ok('signUp', {
    body: { organisationName: `${who} org`, name: who, email: uniqueEmail(who), password: PASSWORD },
  });
}

/** Adds a person to the organisation of `admin` and signs them in. */
export async function addPerson(
  a: Api,
  admin: AuthSession,
  who: string,
  role: 'admin' | 'member' | 'guest',
): Promise<AuthSession> {
  const email = uniqueEmail(who);
  await a.ok('createUser', { token: admin.tokens.accessToken, body: { email, name: who, password: PASSWORD, role } });
  return a.ok('signIn', { body: { email, password: PASSWORD } });
}

/**
 * `who` joins a meeting through its lobby: knocks, a host admits them, and they join again.
 * Guests always take this way (and only into meetings a host invited them to).
 */
export async function letIn(
  a: Api,
  host: AuthSession,
  who: AuthSession,
  meetingId: string,
): Promise<LivekitConnection> {
  const join = () => a.ok('joinMeeting', { token: who.tokens.accessToken, params: { meetingId }, body: {} });
  const knocked: JoinResult = await join();
  if (knocked.status === 'waiting')
    await a.ok('admit', { token: host.tokens.accessToken, params: { meetingId, entryId: knocked.entry.id } });
  const joined: JoinResult = await join();
  if (joined.status !== 'joined') throw new Error(`not joined: ${JSON.stringify(joined)}`);
  return joined.livekit;
}

export type WsClient = {
  readonly received: ServerMessage[];
  send(message: unknown): void;
  /** Resolves with the first message (already received or still to come) that matches. */
  next<T extends ServerMessage['type']>(
    type: T,
    where?: (m: Extract<ServerMessage, { type: T }>) => boolean,
  ): Promise<Extract<ServerMessage, { type: T }>>;
  closed: Promise<number>;
  close(): void;
};

/** Starts the socket's change stream after `cursor` and resolves once its replay is complete. */
export async function resume(
  client: WsClient,
  cursor: number | null = 0,
): Promise<Extract<ServerMessage, { type: 'resumed' }>> {
  const before = client.received.length;
  client.send({ type: 'resume', cursor });
  return client.next('resumed', (m) => client.received.indexOf(m) >= before);
}

/** Resolves once everything the server sent `client` before now has arrived (a socket delivers in order). */
export async function drained(client: WsClient): Promise<void> {
  const nonce = Math.random().toString(36).slice(2);
  client.send({ type: 'ping', nonce });
  await client.next('pong', (m) => m.nonce === nonce);
}

export async function connectWs(baseUrl: string, accessToken?: string): Promise<WsClient> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${WS_PATH}`);
  const received: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data, isBinary) => {
    // The server speaks JSON in text frames only (a browser hands a binary frame over as a Blob).
    if (isBinary) throw new Error('the server sent a binary frame');
    received.push(ServerMessageSchema.parse(JSON.parse(String(data))));
    for (const w of waiters) w();
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const client: WsClient = {
    received,
    send: (m) => socket.send(typeof m === 'string' ? m : JSON.stringify(m)),
    next(type, where = () => true) {
      type M = Extract<ServerMessage, { type: typeof type }>;
      const find = (): M | undefined => received.find((m): m is M => m.type === type && where(m as M));
      return new Promise<M>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${type} message within 10 s; got ${JSON.stringify(received.map((m) => m.type))}`));
        }, 10_000);
        const check = (): void => {
          const m = find();
          if (m === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(m);
        };
        waiters.add(check);
        check();
      });
    },
    closed,
    close: () => socket.close(),
  };
  if (accessToken !== undefined) {
    client.send({ type: 'auth', accessToken });
    await client.next('ready');
  }
  return client;
}

/**
 * A statement straight on a test server's database, SQLite file or PostgreSQL alike (the run's
 * store): for tests that check what is stored (hashes, sealed keys, the audit log) or set up what
 * no API does (a stored URL that now resolves inside the network, a recording's age). `?` marks
 * each parameter (PostgreSQL answers a count as a string: wrap it in `Number`).
 */
export function onDatabase<R = Record<string, unknown>>(
  server: Pick<TestServer, 'databasePath'>,
  text: string,
  ...params: readonly unknown[]
): Promise<R[]> {
  return statementOn<R>(server.databasePath, text, params);
}

/**
 * Makes the test server's database refuse `events` on `table` (a trigger raising "<table>
 * refused"), SQLite and PostgreSQL alike: a write that fails, for tests of what a failure leaves.
 * Answers what lifts the refusal.
 */
export async function refuseWrites(
  server: Pick<TestServer, 'databasePath'>,
  table: string,
  events: readonly ('insert' | 'update')[],
): Promise<() => Promise<void>> {
  const name = `refuse_${table}`;
  const message = `${table} refused`;
  if (isPostgresUrl(server.databasePath)) {
    await onDatabase(
      server,
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`,
    );
    await onDatabase(
      server,
      `CREATE TRIGGER ${name} BEFORE ${events.join(' OR ')} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`,
    );
    return async () => {
      await onDatabase(server, `DROP TRIGGER ${name} ON ${table}`);
      await onDatabase(server, `DROP FUNCTION ${name}()`);
    };
  }
  for (const event of events)
    await onDatabase(
      server,
      `CREATE TRIGGER ${name}_${event} BEFORE ${event} ON ${table} BEGIN SELECT RAISE(ABORT, '${message}'); END`,
    );
  return async () => {
    for (const event of events) await onDatabase(server, `DROP TRIGGER ${name}_${event}`);
  };
}
