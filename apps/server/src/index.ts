import { createRequire } from 'node:module';
import path from 'node:path';
import { SPECIAL_PATHS, webJoinPath } from '@tandem/shared';
import { pino, type DestinationStream } from 'pino';
import {
  DEFAULT_SSO_HANDOFF_TTL_SECONDS,
  defaultChatFilesConfig,
  recordingConfig,
  transcriptionConfig,
  type Config,
} from './config.ts';
import { WEB_APP_PATH } from './http/web.ts';
import { buildApp } from './app.ts';
import { createLivekit } from './livekit/index.ts';
import { parseVaultKeyring } from './providers/index.ts';
import { espeakVoice } from './phone/prompts.ts';
import { mediaTools } from './recorder/media.ts';
import { s3RecordingStorage } from './recorder/s3Storage.ts';
import { localRecordingStorage } from './recorder/storage.ts';
import { recorderSupervisor } from './recorder/supervisor.ts';
import { speechOff, speechSidecar } from './transcriber/sidecar.ts';
import { transcriberSupervisor } from './transcriber/supervisor.ts';
import { createServices, defaultDeliverySettings, linkedProviders } from './services/index.ts';
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from './services/demo.ts';
import { txtLookup } from './sso/domainProof.ts';
import { relyingParty } from './sso/relyingParty.ts';
import { openStore } from './store/index.ts';
import { lateFor, localCluster, redisCluster } from './cluster/cluster.ts';
import { createMetrics } from './http/operations.ts';

export { loadConfig, type Config } from './config.ts';
export { buildApp } from './app.ts';
export { DEMO_PASSWORD, DEMO_PEOPLE };
/** The server's own store, for end-to-end tests that seed what only another process writes (transcripts). */
export { openStore, type Store } from './store/index.ts';
/** What a session is made of, for benchmarks that seed thousands of people (bench/src/seed.ts). */
export { NO_PASSWORD, hashToken, newToken } from './services/auth.ts';

export type RunningServer = {
  /** `http://host:port`; the WebSocket is the same with ws:// and WS_PATH. */
  readonly url: string;
  close(): Promise<void>;
};

const VERSION = '0.1.0';
/** Time to sign in at the provider (a password, a second factor). */
const SSO_ATTEMPT_TTL_SECONDS = 10 * 60;

/** The renderer build's composition page for recorders, under the browser client's path. */
const RECORDER_PAGE_PATH = `${WEB_APP_PATH}recorder.html`;

/** Where the log goes when not standard output (tests read it). */
export type ServerOptions = { readonly logStream?: DestinationStream };

/** The recorder workspace's entry: a separate process the supervisor forks, never imported. */
function recorderEntry(): { entry: string; cwd: string } {
  const cwd = path.dirname(createRequire(import.meta.url).resolve('@tandem/recorder/package.json'));
  return { entry: path.join(cwd, 'src/main.ts'), cwd };
}

/** Composition root: config → store → services → app, listening. `port: 0` picks a free port. */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  // The public URL is known before listening only when configured; otherwise it is where we listen.
  let publicUrl = config.publicUrl ?? '';
  const store = await openStore(config.databasePath, (code) => `${publicUrl}${webJoinPath(code)}`, {
    poolSize: config.databasePoolSize,
    namedStatements: config.databaseNamedStatements,
  });
  try {
    if (config.seedDemo) await seedDemo(store);
    const livekit = createLivekit(config.livekit);
    const logger =
      options.logStream === undefined
        ? pino({ level: config.logLevel })
        : pino({ level: config.logLevel }, options.logStream);
    // Where this server listens: the recorder, beside it, loads its composition page from here.
    let listening = '';
    const recording = config.recording ?? recordingConfig({});
    // A Config built in code without it (tests, embedding) runs without speech: loadConfig always sets it.
    const transcription = config.transcription ?? { ...transcriptionConfig({}), allowed: false };
    const childLog = { info: (m: string) => logger.info(m), warn: (m: string) => logger.warn(m) };
    const metrics = createMetrics();
    const cluster =
      config.redisUrl === undefined
        ? localCluster()
        : lateFor(
            await redisCluster(config.redisUrl, (message, error) => logger.error(error, message)),
            config.lateBusMessages,
          );
    const chatFiles = config.chatFiles ?? defaultChatFilesConfig;
    const services = createServices(
      store,
      livekit,
      config.auth,
      (message, error) => logger.error(error, message),
      () => publicUrl,
      linkedProviders(config.linked, store.providerCredentials),
      {
        externalGuests: config.externalGuests ?? true,
        recording: recording.allowed,
        transcription: transcription.allowed,
      },
      {
        storage:
          recording.s3 === undefined
            ? localRecordingStorage(recording.dir)
            : s3RecordingStorage(recording.s3, recording.dir),
        media: mediaTools({ ffmpeg: recording.ffmpegPath, ffprobe: recording.ffprobePath }),
        supervisor: recorderSupervisor({ ...recorderEntry(), log: childLog }),
        chromiumPath: recording.chromiumPath,
        video: { width: recording.width, height: recording.height, fps: 25, bitsPerSecond: 2_500_000 },
        pageUrl: () => `${listening}${RECORDER_PAGE_PATH}`,
        mediaUrl: (token) => `${publicUrl}${SPECIAL_PATHS.recordingMedia.replace(':token', encodeURIComponent(token))}`,
      },
      { ...defaultDeliverySettings, ...config.webhooks },
      {
        rp: relyingParty({ allowLoopbackHttp: config.sso?.allowLoopbackHttp ?? false }),
        lookupTxt: txtLookup(config.sso?.dnsServers ?? []),
        settings: {
          handoffTtlSeconds: config.sso?.handoffTtlSeconds ?? DEFAULT_SSO_HANDOFF_TTL_SECONDS,
          attemptTtlSeconds: SSO_ATTEMPT_TTL_SECONDS,
        },
      },
      {
        // The model is loaded once, at start: /healthz says whether it could be.
        sidecar: transcription.allowed
          ? speechSidecar({ python: transcription.python, script: transcription.sidecar, log: childLog })
          : speechOff,
        supervisor: transcriberSupervisor({ log: childLog }),
      },
      {
        // Chat files live in the storage recordings use, in their own folder (or under their own keys).
        storage:
          recording.s3 === undefined
            ? localRecordingStorage(chatFiles.dir)
            : s3RecordingStorage(recording.s3, chatFiles.dir),
        maxBytes: chatFiles.maxBytes,
        linkTtlSeconds: chatFiles.linkTtlSeconds,
        mediaUrl: (token) => `${publicUrl}${SPECIAL_PATHS.chatFileMedia.replace(':token', encodeURIComponent(token))}`,
      },
      { llm: config.notesLlm ?? null },
      { cluster, observeFanoutLag: (seconds) => metrics.fanoutLag.observe(seconds) },
      config.phone === undefined ? undefined : { settings: config.phone, voice: espeakVoice(config.phone.espeakPath) },
      config.expertRingSeconds,
      {
        ffmpegPath: recording.ffmpegPath,
        // Stream keys are sealed like the providers' tokens, with the same keyring.
        keyring: config.linked === undefined ? null : parseVaultKeyring(config.linked.tokenKeys),
        allowPrivate: config.streaming?.allowPrivate ?? false,
        ...(config.streaming?.caFile === undefined ? {} : { caFile: config.streaming.caFile }),
      },
      config.reconcile === undefined
        ? undefined
        : { everyMs: config.reconcile.everySeconds * 1000, graceMs: config.reconcile.graceSeconds * 1000 },
      config.lobbyAbandonSeconds === undefined ? undefined : config.lobbyAbandonSeconds * 1000,
    );
    await services.presence.reset();
    await services.recordings.recover(!cluster.shared);
    await services.streaming.recover(!cluster.shared);
    const app = await buildApp({ services, config, logger, version: VERSION, metrics });
    const url = await app.listen({ port: config.port, host: config.host });
    listening = url;
    if (config.publicUrl === undefined) publicUrl = url;
    // Background work starts once the server knows its address: a renewed calendar channel tells
    // the provider where to call back.
    try {
      await services.start();
    } catch (error) {
      await app.close();
      throw error;
    }
    return {
      url,
      async close() {
        await app.close();
        await services.stop();
        await cluster.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
