import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHAT_FILE_LIMITS } from '@tandem/shared';
import { z } from 'zod';
import type { ProvidersConfig } from './providers/index.ts';
import type { PhoneSettings } from './services/phone.ts';

const flag = z
  .enum(['1', '0', 'true', 'false', ''])
  .default('')
  .transform((v) => v === '1' || v === 'true');
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** The app exchanges its one-time single sign-on code at once; a minute covers a slow machine. */
export const DEFAULT_SSO_HANDOFF_TTL_SECONDS = 60;

const RecordingEnvSchema = z.object({
  /** IT's word on recording: `off` refuses it in every organisation, whatever its own setting. */
  RECORDING: z.enum(['allowed', 'off']).default('allowed'),
  /** Where recordings are kept (and written while they are made); made when first needed. */
  RECORDINGS_DIR: z.string().min(1).default('recordings'),
  /** The Chromium the recorder drives (headless). */
  RECORDER_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** ffmpeg and ffprobe, which finish and measure recorded files. */
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  /** The composite's size: 720p by default (a recorder encodes it on the CPU). */
  RECORDING_WIDTH: z.coerce.number().int().min(160).max(3840).default(1280),
  RECORDING_HEIGHT: z.coerce.number().int().min(90).max(2160).default(720),
  /** S3-compatible storage for recordings instead of RECORDINGS_DIR (which keeps only scratch files then). */
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** An S3-compatible server's address; absent: AWS. */
  S3_ENDPOINT: z.url().optional(),
  /** Absent: the AWS SDK's own credential chain. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: flag,
});

/** The repository this server runs from: the speech sidecar and the venv `npm run setup` makes are in it. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const TranscriptionEnvSchema = z.object({
  /** IT's word on transcription and live captions: `off` refuses them in every organisation. */
  TRANSCRIPTION: z.enum(['allowed', 'off']).default('allowed'),
  /** The Python that runs the speech sidecar, with faster-whisper and the model installed. */
  SPEECH_PYTHON: z
    .string()
    .min(1)
    .default(path.join(repoRoot, '.tools', 'speech-venv', 'bin', 'python')),
  /** The speech sidecar's script (tools/speech/sidecar.py). */
  SPEECH_SIDECAR: z
    .string()
    .min(1)
    .default(path.join(repoRoot, 'tools', 'speech', 'sidecar.py')),
});

/** The only reader of the environment in the server. Everything else receives a Config. */
/** Phone calls through livekit-sip (docs/phone.md); livekit-server must share a Redis with livekit-sip. */
const PhoneEnvSchema = z.object({
  /** `on`: callers dial in to meetings with a PIN (the server provisions livekit-sip's inbound trunk and dispatch rule). */
  PHONE_DIAL_IN: z.enum(['on', 'off']).default('off'),
  /** CIDRs (comma-separated) the SIP trunk provider calls from; any address when unset. */
  PHONE_ALLOWED_ADDRESSES: z.string().min(1).optional(),
  /** Dial-out and the audio bridge call through this SIP trunk: `host[:port]`, and the number calls come from. */
  SIP_OUTBOUND_ADDRESS: z.string().min(1).optional(),
  SIP_OUTBOUND_NUMBER: z
    .string()
    .regex(/^\+?\d{3,15}$/, 'a phone number')
    .optional(),
  SIP_OUTBOUND_USERNAME: z.string().min(1).optional(),
  SIP_OUTBOUND_PASSWORD: z.string().min(1).optional(),
  /** Wrong PINs one calling number may enter per window before it is refused. */
  PHONE_MAX_PIN_FAILURES: z.coerce.number().int().positive().default(5),
  PHONE_PIN_FAILURE_WINDOW_SECONDS: seconds(15 * 60),
  /** The audio bridge prefers a linked meeting's dial-in number with this country code (`+44`). */
  PHONE_BRIDGE_PREFIX: z
    .string()
    .regex(/^\+\d{1,3}$/)
    .optional(),
  /** How long a linked meeting's room connector may ring before the audio bridge calls its phone bridge instead. */
  PHONE_BRIDGE_RING_SECONDS: seconds(20),
  /** `1`: dial-out may call SIP addresses on loopback and private networks (a PBX on the LAN; tests). */
  PHONE_SIP_ALLOW_PRIVATE: flag,
  /** espeak-ng, which speaks the prompts dial-in callers hear. */
  ESPEAK_PATH: z.string().min(1).default('espeak-ng'),
});

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  LIVEKIT_URL: z.string().url(),
  LIVEKIT_API_KEY: z.string().min(1),
  LIVEKIT_API_SECRET: z.string().min(32),
  DATABASE_PATH: z.string().default('tandem-server.db'),
  /** `postgres://…`: the store is this PostgreSQL database (several instances share it) instead of DATABASE_PATH's SQLite file. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional(),
  /** Connections each instance keeps open to PostgreSQL (DATABASE_URL); SQLite has one. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /**
   * `off` sends every statement unnamed, for a pooler between the instances and PostgreSQL that
   * does not keep prepared statements (PgBouncer in transaction mode before 1.21); see docs/deploy.
   */
  DATABASE_NAMED_STATEMENTS: z.enum(['on', 'off']).default('on'),
  /** `redis://…`: instances sharing the database share fan-out, rate limits and presence through it. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// URL')
    .optional(),
  /**
   * Tests only (cluster/cluster.test.ts): `kind:ms` makes this instance hear the other instances'
   * bus messages of that kind `ms` late, as when another instance's word reaches it behind later
   * ones. Never set in a deployment.
   */
  TEST_LATE_BUS_MESSAGES: z
    .string()
    .regex(/^[A-Za-z]+:\d+$/, 'kind:milliseconds')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Creates a demo organisation with two people (printed at start) so `npm start` can be signed into. */
  SEED_DEMO: flag,
  ACCESS_TOKEN_TTL_SECONDS: seconds(15 * 60),
  REFRESH_TOKEN_TTL_SECONDS: seconds(30 * 24 * 60 * 60),
  REFRESH_REUSE_GRACE_SECONDS: seconds(30),
  LIVEKIT_TOKEN_TTL_SECONDS: seconds(120),
  SIGNIN_RATE_PER_MINUTE: seconds(10),
  SIGNUP_RATE_PER_MINUTE: seconds(3),
  MESSAGE_RATE_PER_MINUTE: seconds(120),
  /** Requests per minute per SCIM provisioning token (an identity provider's sync runs in bursts). */
  SCIM_RATE_PER_MINUTE: seconds(600),
  /** Linked meetings (docs/linked-meetings.md): all optional; a provider without its settings is not offered. */
  PROVIDER_TOKEN_KEYS: z.string().min(1).optional(),
  MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  MICROSOFT_TENANT: z.string().min(1).optional(),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  ZOOM_ENABLED: flag,
  /** Where the providers' APIs are, when not their public clouds' (national clouds, ZoomGov; tests' local fakes). */
  MICROSOFT_LOGIN_URL: z.url().optional(),
  MICROSOFT_GRAPH_URL: z.url().optional(),
  ZOOM_API_URL: z.url().optional(),
  ZOOM_TOKEN_URL: z.url().optional(),
  /** How people reach this server (join links); the address it listens on when unset. */
  PUBLIC_URL: z.url().optional(),
  /** IT's word on external guests: `off` refuses them in every organisation, whatever its own setting. */
  EXTERNAL_GUESTS: z.enum(['allowed', 'off']).default('allowed'),
  /** Seconds an ask for an expert from a page rings before it is missed. */
  EXPERT_RING_SECONDS: z.coerce.number().int().min(5).max(300).default(30),
  /** Seconds between checks of open visits against LiveKit (services/reconciliation.ts). */
  LIVEKIT_RECONCILE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Seconds a visit is left alone before LiveKit's not listing it ends it. */
  LIVEKIT_RECONCILE_GRACE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Seconds someone waiting in a lobby may be offline (their app or tab closed) before their entry goes. */
  LOBBY_ABANDON_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** The browser client (the renderer's build), served at /app/. */
  WEB_APP_DIR: z.string().min(1).optional(),
  /** Outgoing webhooks may reach loopback and private networks: for tests and development only. */
  WEBHOOK_ALLOW_PRIVATE: flag,
  /** Live streams may go to loopback and private networks (a streaming server inside the company, tests). */
  STREAM_ALLOW_PRIVATE: flag,
  /** PEM certificate authorities `rtmps://` destinations must chain to, instead of the system's. */
  STREAM_TLS_CA_FILE: z.string().min(1).optional(),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_DISABLE_AFTER: z.coerce.number().int().positive().default(20),
  /** DNS servers (`ip` or `ip:port`, comma-separated) that prove e-mail domains; the system's when unset. */
  SSO_DNS_SERVERS: z.string().min(1).optional(),
  /** Accept http: OpenID Provider issuers on loopback addresses (development and tests only). */
  SSO_ALLOW_LOOPBACK_HTTP: flag,
  /** How long the one-time code that ends a single sign-on is honoured. */
  SSO_HANDOFF_TTL_SECONDS: seconds(DEFAULT_SSO_HANDOFF_TTL_SECONDS),
  /** Recording: see RecordingEnvSchema. */
  ...RecordingEnvSchema.shape,
  /** Transcripts and captions: see TranscriptionEnvSchema. */
  ...TranscriptionEnvSchema.shape,
  /** Where files uploaded in chat are kept (in the S3 bucket instead when S3_BUCKET is set, like recordings). */
  CHAT_FILES_DIR: z.string().min(1).default('chat-files'),
  /** The largest file a chat upload may have, in bytes (100 MB by default). */
  CHAT_FILE_MAX_BYTES: z.coerce.number().int().positive().default(CHAT_FILE_LIMITS.defaultMaxBytes),
  /** How long a link to a chat file opens it. */
  CHAT_FILE_LINK_TTL_SECONDS: seconds(5 * 60),
  /**
   * Meeting notes from an OpenAI-compatible model (chat completions with a JSON schema): its base
   * URL up to the version (`…/v1`), the model and, if it needs one, the key. Unset: the
   * deterministic extractor makes the notes. The URL is IT's, so loopback and private addresses are allowed.
   */
  NOTES_LLM_BASE_URL: z.url().optional(),
  NOTES_LLM_MODEL: z.string().min(1).optional(),
  NOTES_LLM_API_KEY: z.string().min(1).optional(),
  NOTES_LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Phone: see PhoneEnvSchema. */
  ...PhoneEnvSchema.shape,
});

export type Config = {
  readonly port: number;
  readonly host: string;
  readonly livekit: {
    readonly wsUrl: string;
    readonly apiKey: string;
    readonly apiSecret: string;
    readonly tokenTtlSeconds: number;
  };
  /** A SQLite file path, or a `postgres://` URL (DATABASE_URL) for PostgreSQL. */
  readonly databasePath: string;
  /** PostgreSQL connections per instance. */
  readonly databasePoolSize?: number | undefined;
  /** Whether frequent statements are kept prepared by name on PostgreSQL (DATABASE_NAMED_STATEMENTS). */
  readonly databaseNamedStatements?: boolean | undefined;
  /** Redis shared by several instances; without it this instance is alone. */
  readonly redisUrl?: string | undefined;
  /** Tests only (TEST_LATE_BUS_MESSAGES): other instances' bus messages of `kind` heard `ms` late. */
  readonly lateBusMessages?: { readonly kind: string; readonly ms: number } | undefined;
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  readonly seedDemo: boolean;
  readonly auth: {
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
    /** A just-spent refresh token presented again within this answers a fresh pair instead of revoking. */
    readonly refreshGraceSeconds: number;
  };
  /**
   * Requests per minute: sign-in per account (over all addresses) and, ten times that, per client
   * address; sign-up per client address; chat writes per user; SCIM requests per token.
   */
  readonly rateLimits: {
    readonly signInPerMinute: number;
    readonly signUpPerMinute: number;
    readonly messagesPerMinute: number;
    readonly scimPerMinute: number;
  };
  /**
   * Linked Teams/Zoom/Meet meetings. Absent, or without `tokenKeys` (the vault's keyring,
   * `id:base64[,…]`): no provider is offered and their routes answer `unavailable`.
   */
  readonly linked?: { readonly tokenKeys: string; readonly providers: ProvidersConfig };
  /** Join links are `<publicUrl>/j/<code>`; the listening address when absent. */
  readonly publicUrl?: string;
  /** False: no organisation admits people from outside by link (IT policy). */
  readonly externalGuests?: boolean;
  /** Seconds an ask for an expert rings (EXPERT_RING_SECONDS); absent: EXPERT_LIMITS.ringSeconds. */
  readonly expertRingSeconds?: number;
  /**
   * Open visits checked against LiveKit every `everySeconds` (LIVEKIT_RECONCILE_SECONDS); a visit
   * younger than `graceSeconds` (LIVEKIT_RECONCILE_GRACE_SECONDS) is left alone. Absent: 30 and 30.
   */
  readonly reconcile?: { readonly everySeconds: number; readonly graceSeconds: number };
  /** Seconds someone waiting in a lobby may be offline before their entry goes (LOBBY_ABANDON_SECONDS); absent: 60. */
  readonly lobbyAbandonSeconds?: number;
  /** The built renderer served as the browser client at /app/; absent: the desktop workspace's build. */
  readonly webAppDir?: string;
  /** Outgoing webhook deliveries; absent: public targets only and the defaults below. */
  readonly webhooks?: {
    readonly allowPrivate: boolean;
    readonly maxAttempts: number;
    readonly retryBaseMs: number;
    readonly timeoutMs: number;
    readonly disableAfterFailures: number;
  };
  /** Single sign-on (see README): all optional. */
  readonly sso?: {
    /** DNS servers that prove domains (`ip` or `ip:port`); the system's when absent or empty. */
    readonly dnsServers?: readonly string[];
    /** Accept http: issuers on loopback addresses. */
    readonly allowLoopbackHttp?: boolean;
    readonly handoffTtlSeconds?: number;
  };
  /** Recording (apps/recorder): IT's switch, where files go, the tools the recorder needs; absent: the defaults. */
  readonly recording?: RecordingConfig;
  /** Transcripts and live captions (the speech sidecar, tools/speech); absent: off (loadConfig always sets it). */
  readonly transcription?: TranscriptionConfig;
  /** Files in chat: where they are kept, how large they may be, how long links last; absent: the defaults. */
  readonly chatFiles?: ChatFilesConfig;
  /** Meeting notes' language model; absent or null: the deterministic extractor only. */
  readonly notesLlm?: NotesLlmConfig | null;
  /** Phone dial-in, dial-out and the audio bridge; absent: none. */
  readonly phone?: PhoneConfig;
  /**
   * Live streaming: whether destinations on loopback and private networks are allowed (absent:
   * public only), and the authorities `rtmps://` certificates must chain to (absent: the system's).
   */
  readonly streaming?: { readonly allowPrivate: boolean; readonly caFile?: string };
};

export type PhoneConfig = PhoneSettings & { readonly espeakPath: string };

/** `{ phone }` when dial-in or an outbound trunk is configured, else nothing. */
function phoneOf(e: z.infer<typeof PhoneEnvSchema>): { readonly phone?: PhoneConfig } {
  const outbound =
    e.SIP_OUTBOUND_ADDRESS === undefined || e.SIP_OUTBOUND_NUMBER === undefined
      ? null
      : {
          address: e.SIP_OUTBOUND_ADDRESS,
          number: e.SIP_OUTBOUND_NUMBER,
          ...(e.SIP_OUTBOUND_USERNAME === undefined ? {} : { username: e.SIP_OUTBOUND_USERNAME }),
          ...(e.SIP_OUTBOUND_PASSWORD === undefined ? {} : { password: e.SIP_OUTBOUND_PASSWORD }),
        };
  const dialIn =
    e.PHONE_DIAL_IN === 'on'
      ? {
          allowedAddresses: (e.PHONE_ALLOWED_ADDRESSES ?? '')
            .split(',')
            .map((a) => a.trim())
            .filter((a) => a !== ''),
        }
      : null;
  if (dialIn === null && outbound === null) return {};
  const phone: PhoneConfig = {
    dialIn,
    outbound,
    maxPinFailures: e.PHONE_MAX_PIN_FAILURES,
    pinFailureWindowMs: e.PHONE_PIN_FAILURE_WINDOW_SECONDS * 1000,
    espeakPath: e.ESPEAK_PATH,
    sipAllowPrivate: e.PHONE_SIP_ALLOW_PRIVATE,
    connectorRingSeconds: e.PHONE_BRIDGE_RING_SECONDS,
    ...(e.PHONE_BRIDGE_PREFIX === undefined ? {} : { preferredPrefix: e.PHONE_BRIDGE_PREFIX }),
  };
  return { phone };
}

export type NotesLlmConfig = {
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey: string | null;
  readonly timeoutMs: number;
};

export type ChatFilesConfig = {
  readonly dir: string;
  readonly maxBytes: number;
  readonly linkTtlSeconds: number;
};

export const defaultChatFilesConfig: ChatFilesConfig = {
  dir: 'chat-files',
  maxBytes: CHAT_FILE_LIMITS.defaultMaxBytes,
  linkTtlSeconds: 5 * 60,
};

export type TranscriptionConfig = {
  /** False: no organisation's meetings are transcribed (IT policy); the sidecar is not started. */
  readonly allowed: boolean;
  readonly python: string;
  readonly sidecar: string;
};

/** An S3-compatible bucket for recordings (recorder/s3Storage.ts). */
export type S3Settings = {
  readonly bucket: string;
  readonly region: string;
  /** An S3-compatible server's address; absent: AWS itself. */
  readonly endpoint?: string;
  /** Absent: the AWS SDK's own chain (environment, instance role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Bucket in the path rather than the host name, which most S3-compatible servers want. */
  readonly forcePathStyle: boolean;
};

export type RecordingConfig = {
  /** False: no organisation may record (IT policy). */
  readonly allowed: boolean;
  readonly dir: string;
  readonly chromiumPath: string;
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  readonly width: number;
  readonly height: number;
  /** Recordings in an S3-compatible bucket; absent: on local disk under `dir`. */
  readonly s3?: S3Settings;
};

/** TEST_LATE_BUS_MESSAGES (`kind:ms`, checked by EnvSchema) as the cluster's seam takes it. */
function lateBusMessages(value: string | undefined): Config['lateBusMessages'] {
  const match = value === undefined ? null : /^([A-Za-z]+):(\d+)$/.exec(value);
  return match?.[1] === undefined ? undefined : { kind: match[1], ms: Number(match[2]) };
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid server configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    livekit: {
      wsUrl: e.LIVEKIT_URL,
      apiKey: e.LIVEKIT_API_KEY,
      apiSecret: e.LIVEKIT_API_SECRET,
      tokenTtlSeconds: e.LIVEKIT_TOKEN_TTL_SECONDS,
    },
    databasePath: e.DATABASE_URL ?? e.DATABASE_PATH,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseNamedStatements: e.DATABASE_NAMED_STATEMENTS === 'on',
    redisUrl: e.REDIS_URL,
    lateBusMessages: lateBusMessages(e.TEST_LATE_BUS_MESSAGES),
    logLevel: e.LOG_LEVEL,
    seedDemo: e.SEED_DEMO,
    auth: {
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      refreshGraceSeconds: e.REFRESH_REUSE_GRACE_SECONDS,
    },
    rateLimits: {
      signInPerMinute: e.SIGNIN_RATE_PER_MINUTE,
      signUpPerMinute: e.SIGNUP_RATE_PER_MINUTE,
      messagesPerMinute: e.MESSAGE_RATE_PER_MINUTE,
      scimPerMinute: e.SCIM_RATE_PER_MINUTE,
    },
    externalGuests: e.EXTERNAL_GUESTS === 'allowed',
    expertRingSeconds: e.EXPERT_RING_SECONDS,
    reconcile: { everySeconds: e.LIVEKIT_RECONCILE_SECONDS, graceSeconds: e.LIVEKIT_RECONCILE_GRACE_SECONDS },
    lobbyAbandonSeconds: e.LOBBY_ABANDON_SECONDS,
    webhooks: {
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      disableAfterFailures: e.WEBHOOK_DISABLE_AFTER,
    },
    sso: {
      dnsServers: (e.SSO_DNS_SERVERS ?? '')
        .split(',')
        .map((server) => server.trim())
        .filter((server) => server !== ''),
      allowLoopbackHttp: e.SSO_ALLOW_LOOPBACK_HTTP,
      handoffTtlSeconds: e.SSO_HANDOFF_TTL_SECONDS,
    },
    recording: recordingOf(e),
    transcription: transcriptionOf(e),
    chatFiles: { dir: e.CHAT_FILES_DIR, maxBytes: e.CHAT_FILE_MAX_BYTES, linkTtlSeconds: e.CHAT_FILE_LINK_TTL_SECONDS },
    notesLlm:
      e.NOTES_LLM_BASE_URL === undefined || e.NOTES_LLM_MODEL === undefined
        ? null
        : {
            baseUrl: e.NOTES_LLM_BASE_URL,
            model: e.NOTES_LLM_MODEL,
            apiKey: e.NOTES_LLM_API_KEY ?? null,
            timeoutMs: e.NOTES_LLM_TIMEOUT_MS,
          },
    ...phoneOf(e),
    streaming: {
      allowPrivate: e.STREAM_ALLOW_PRIVATE,
      ...(e.STREAM_TLS_CA_FILE === undefined ? {} : { caFile: e.STREAM_TLS_CA_FILE }),
    },
    ...(e.PUBLIC_URL === undefined ? {} : { publicUrl: e.PUBLIC_URL.replace(/\/+$/, '') }),
    ...(e.WEB_APP_DIR === undefined ? {} : { webAppDir: e.WEB_APP_DIR }),
    ...(e.PROVIDER_TOKEN_KEYS === undefined
      ? {}
      : { linked: { tokenKeys: e.PROVIDER_TOKEN_KEYS, providers: providersOf(e) } }),
  };
}

function recordingOf(e: z.infer<typeof RecordingEnvSchema>): RecordingConfig {
  return {
    allowed: e.RECORDING === 'allowed',
    dir: e.RECORDINGS_DIR,
    chromiumPath: e.RECORDER_CHROMIUM_PATH,
    ffmpegPath: e.FFMPEG_PATH,
    ffprobePath: e.FFPROBE_PATH,
    width: e.RECORDING_WIDTH,
    height: e.RECORDING_HEIGHT,
    ...(e.S3_BUCKET === undefined
      ? {}
      : {
          s3: {
            bucket: e.S3_BUCKET,
            region: e.S3_REGION,
            forcePathStyle: e.S3_FORCE_PATH_STYLE,
            ...(e.S3_ENDPOINT === undefined ? {} : { endpoint: e.S3_ENDPOINT }),
            ...(e.S3_ACCESS_KEY_ID === undefined || e.S3_SECRET_ACCESS_KEY === undefined
              ? {}
              : { credentials: { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY } }),
          },
        }),
  };
}

function transcriptionOf(e: z.infer<typeof TranscriptionEnvSchema>): TranscriptionConfig {
  return { allowed: e.TRANSCRIPTION === 'allowed', python: e.SPEECH_PYTHON, sidecar: e.SPEECH_SIDECAR };
}

/** Transcription's settings from its variables alone (the defaults for a Config built without them). */
export const transcriptionConfig = (env: Readonly<Record<string, string | undefined>>): TranscriptionConfig =>
  transcriptionOf(TranscriptionEnvSchema.parse(env));

/** Recording's settings from its variables alone (the defaults for a Config built without them). */
export const recordingConfig = (env: Readonly<Record<string, string | undefined>>): RecordingConfig =>
  recordingOf(RecordingEnvSchema.parse(env));

function providersOf(e: z.infer<typeof EnvSchema>): ProvidersConfig {
  const { MICROSOFT_CLIENT_ID: msId, MICROSOFT_CLIENT_SECRET: msSecret, MICROSOFT_TENANT: tenant } = e;
  const { GOOGLE_CLIENT_ID: googleId, GOOGLE_CLIENT_SECRET: googleSecret } = e;
  const { MICROSOFT_LOGIN_URL: loginBaseUrl, MICROSOFT_GRAPH_URL: graphBaseUrl } = e;
  const { ZOOM_API_URL: apiBaseUrl, ZOOM_TOKEN_URL: tokenUrl } = e;
  return {
    ...(msId !== undefined && msSecret !== undefined
      ? {
          microsoft: {
            clientId: msId,
            clientSecret: msSecret,
            ...(tenant === undefined ? {} : { tenant }),
            ...(loginBaseUrl === undefined ? {} : { loginBaseUrl: loginBaseUrl.replace(/\/$/, '') }),
            ...(graphBaseUrl === undefined ? {} : { graphBaseUrl: graphBaseUrl.replace(/\/$/, '') }),
          },
        }
      : {}),
    ...(googleId !== undefined && googleSecret !== undefined
      ? { google: { clientId: googleId, clientSecret: googleSecret } }
      : {}),
    // Each organisation brings its own Zoom app, so the deployment only says whether Zoom is offered.
    ...(e.ZOOM_ENABLED
      ? {
          zoom: {
            ...(apiBaseUrl === undefined ? {} : { apiBaseUrl: apiBaseUrl.replace(/\/$/, '') }),
            ...(tokenUrl === undefined ? {} : { tokenUrl }),
          },
        }
      : {}),
  };
}
