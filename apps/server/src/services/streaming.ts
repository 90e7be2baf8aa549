import {
  RUNNING_STREAM_STATUSES,
  webinarSeat,
  type AuditActor,
  type LiveStream,
  type LiveStreamStatus,
  type Meeting,
  type RequestOrigin,
  type StartStreamRequest,
  type StreamState,
} from '@tandem/shared';
import type { Cluster } from '../cluster/cluster.ts';
import { orphaned } from '../cluster/orphaned.ts';
import type { Livekit } from '../livekit/index.ts';
import { resolveTarget, systemLookup, TargetRefused, type Lookup } from '../outgoing/target.ts';
import { openText, sealText, type SealedCredentials, type VaultKeyring } from '../providers/index.ts';
import type { StreamRecord, Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { auditActor, type Caller, newId, nowIso } from './context.ts';
import { badRequest, conflict, forbidden, found } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import { roomOf } from './meetings.ts';
import type { Log, Realtime } from './realtime.ts';
import type { RecordingSetup } from './recordings.ts';

/** What live streaming needs besides the recorder's setup. */
export type StreamingSetup = {
  readonly ffmpegPath: string;
  /** The server's vault keyring (PROVIDER_TOKEN_KEYS) that seals stream keys; null: keys stay in memory only. */
  readonly keyring: VaultKeyring | null;
  /** Destinations on loopback and private networks are allowed (STREAM_ALLOW_PRIVATE: tests, a portal inside). */
  readonly allowPrivate: boolean;
  /** PEM certificate authorities `rtmps://` destinations must chain to instead of Node's (STREAM_TLS_CA_FILE). */
  readonly caFile?: string;
  readonly lookup?: Lookup;
};

const RUNNING: readonly LiveStreamStatus[] = RUNNING_STREAM_STATUSES;

/** Who acts when the server stops a stream by itself (the meeting's room emptied, a restart). */
type Acting = { readonly actor: AuditActor; readonly origin: RequestOrigin };

const SYSTEM: Acting = {
  actor: { kind: 'system', id: null, label: 'Tandem server' },
  origin: { address: '', client: 'tandem-server' },
};

// Binding the sealed key to its meeting means a row copied to another meeting does not open.
const keyAad = (organisationId: string, meetingId: string): Buffer =>
  Buffer.from(JSON.stringify(['stream-key', organisationId, meetingId]));

/**
 * Live streaming to RTMP(S) destinations: the recorder's composite of the call (the same process
 * and page as a recording) handed to ffmpeg, which pushes it to the destination. Hosts, and in a
 * webinar its panelists, start and stop it; one runs per meeting; it stops with the meeting. Its
 * health (ffmpeg's frame rate and bitrate every two seconds) reaches them as `stream.changed`.
 * The stream key is a secret: sealed with the server's vault keyring when it has one (else kept
 * only in this process's memory), never answered, never in a log line or an audit entry.
 */
export function streamingService(
  store: Store,
  livekit: Livekit,
  realtime: Realtime,
  access: MeetingAccess,
  audit: AuditService,
  recording: RecordingSetup,
  setup: StreamingSetup,
  log: Log,
  /** This instance (which runs the recorders it starts), and which others are alive. */
  instances: Pick<Cluster, 'instanceId' | 'alive'>,
) {
  /** ffmpeg's latest figures per meeting, for the run that reported them. */
  const figures = new Map<string, { readonly runId: string; readonly fps: number; readonly bitrateKbps: number }>();
  /** Stream keys by meeting when there is no keyring to seal them with. */
  const memoryKeys = new Map<string, string>();
  /** Settlements under way, so closing waits for them before the store goes. */
  const settling = new Set<Promise<void>>();

  const view = (r: StreamRecord): LiveStream => {
    const f = figures.get(r.meetingId);
    const current = r.status === 'live' && f?.runId === r.runId ? f : null;
    return {
      meetingId: r.meetingId,
      status: r.status,
      url: r.url,
      startedBy: r.startedBy,
      startedAt: r.startedAt,
      liveSince: r.liveSince,
      endedAt: r.endedAt,
      failure: r.failure,
      fps: current?.fps ?? null,
      bitrateKbps: current?.bitrateKbps ?? null,
    };
  };

  /** Hosts, and in a webinar its panelists: who runs the stream. */
  const runsStream = (m: Meeting, caller: Caller): boolean =>
    access.isHost(caller.user, m) || (m.type === 'webinar' && webinarSeat(m, caller.user.id, false) === 'panelist');

  async function asRunner(caller: Caller, meetingId: string): Promise<Meeting> {
    const m = await access.meeting(caller, meetingId);
    if (!runsStream(m, caller)) throw forbidden('only hosts and panelists may stream the meeting');
    return m;
  }

  async function tell(r: StreamRecord): Promise<void> {
    const m = await store.meetings.get(r.organisationId, r.meetingId);
    if (m === undefined) return;
    const people = await access.hosts(m);
    if (m.type === 'webinar') for (const id of [...m.invitees, ...(m.webinar?.promoted ?? [])]) people.add(id);
    realtime.toUsers(people, { type: 'stream.changed', stream: view(r) });
  }

  function later(what: string, work: () => Promise<void>): void {
    const p = work()
      .catch((e: unknown) => log(what, e))
      .finally(() => settling.delete(p));
    settling.add(p);
  }

  /** The stream key kept for the meeting, if any. */
  function keptKey(r: StreamRecord | undefined): string | undefined {
    if (r === undefined) return undefined;
    if (r.keySealed === null || setup.keyring === null) return memoryKeys.get(r.meetingId);
    try {
      return openText(
        setup.keyring,
        keyAad(r.organisationId, r.meetingId),
        JSON.parse(r.keySealed) as SealedCredentials,
      );
    } catch (e) {
      log(`the stream key of meeting ${r.meetingId} does not open`, e);
      return undefined;
    }
  }

  /**
   * Refuses destinations the server will not connect to (its own network, unless allowed), and
   * answers the address the stream is then pinned to (see RecorderOutput's `address`).
   */
  async function checkDestination(url: string): Promise<string> {
    try {
      const { address } = await resolveTarget(new URL(url), {
        allowPrivate: setup.allowPrivate,
        lookup: setup.lookup ?? systemLookup,
      });
      return address;
    } catch (e) {
      if (e instanceof TargetRefused) throw badRequest(e.message, [{ path: 'url', message: e.message }]);
      throw e;
    }
  }

  async function launch(r: StreamRecord, key: string, address: string): Promise<void> {
    const room = roomOf(r.meetingId);
    await livekit.ensureRoom(room);
    const token = await livekit.mintRecorder(room, r.runId);
    recording.supervisor.start(
      {
        type: 'start',
        recordingId: r.runId,
        pageUrl: recording.pageUrl(),
        chromiumPath: recording.chromiumPath,
        output: {
          kind: 'rtmp',
          url: r.url,
          key,
          ffmpegPath: setup.ffmpegPath,
          address,
          ...(setup.caFile === undefined ? {} : { caFile: setup.caFile }),
        },
        page: {
          livekitUrl: livekit.wsUrl,
          token,
          video: recording.video,
          aloneSeconds: recording.aloneSeconds ?? 60,
        },
      },
      {
        recording: () => {},
        streaming: (stats) => {
          figures.set(r.meetingId, { runId: r.runId, ...stats });
          later(`stream of ${r.meetingId}: its health could not be told`, async () => {
            const now =
              (await store.streams.update(r.meetingId, r.runId, ['starting'], {
                status: 'live',
                liveSince: nowIso(),
              })) ?? (await store.streams.get(r.organisationId, r.meetingId));
            if (now?.runId === r.runId && now.status === 'live') await tell(now);
          });
        },
        exited: (outcome) => {
          later(`stream of ${r.meetingId}: its end could not be recorded`, async () => {
            const ended = await store.streams.update(r.meetingId, r.runId, RUNNING, {
              status: outcome.kind === 'failed' ? 'failed' : 'stopped',
              endedAt: nowIso(),
              failure: outcome.kind === 'failed' ? outcome.reason : null,
            });
            if (figures.get(r.meetingId)?.runId === r.runId) figures.delete(r.meetingId);
            if (ended !== undefined) await tell(ended);
          });
        },
      },
    );
  }

  async function stopRunning(r: StreamRecord, m: Meeting, by: Acting): Promise<StreamRecord> {
    const stopped = await store.streams.update(r.meetingId, r.runId, RUNNING, { status: 'stopped', endedAt: nowIso() });
    // It ended by itself meanwhile: it is as it is.
    if (stopped === undefined) return found(await store.streams.get(m.organisationId, m.id), 'stream');
    await audit.record({
      organisationId: m.organisationId,
      action: 'stream.stopped',
      actor: by.actor,
      target: { kind: 'meeting', id: m.id, label: m.title },
      origin: by.origin,
      detail: { url: r.url },
    });
    figures.delete(m.id);
    recording.supervisor.stop(r.runId);
    await tell(stopped);
    return stopped;
  }

  return {
    async state(caller: Caller, meetingId: string): Promise<StreamState> {
      const m = await asRunner(caller, meetingId);
      const r = await store.streams.get(m.organisationId, m.id);
      return {
        stream: r === undefined ? null : view(r),
        destination: r === undefined ? null : { url: r.url, keySaved: keptKey(r) !== undefined },
        unavailable: m.settings.e2ee ? 'e2ee' : null,
      };
    },

    async start(caller: Caller, meetingId: string, req: StartStreamRequest): Promise<LiveStream> {
      const m = await asRunner(caller, meetingId);
      if (m.settings.e2ee)
        throw conflict('this meeting is end-to-end encrypted: the server cannot see its media, so it cannot stream it');
      if (m.status === 'ended' || m.status === 'cancelled') throw conflict(`the meeting is ${m.status}`);
      // The recorder sees the whole room: a webinar's backstage would go out to the audience's platform.
      if (m.type === 'webinar' && m.webinar?.liveSince == null)
        throw conflict('the webinar is still in the backstage: go live first, then stream it');
      const previous = await store.streams.get(m.organisationId, m.id);
      const key = req.key ?? (previous?.url === req.url ? keptKey(previous) : undefined);
      if (key === undefined)
        throw badRequest('the stream key is needed for this destination', [{ path: 'key', message: 'required' }]);
      const address = await checkDestination(req.url);
      const runId = newId();
      const keySealed =
        setup.keyring === null ? null : JSON.stringify(sealText(setup.keyring, keyAad(m.organisationId, m.id), key));
      const startedBy = { id: caller.user.id, name: caller.user.name };
      const started = await store.streams.start({
        meetingId: m.id,
        organisationId: m.organisationId,
        runId,
        url: req.url,
        keySealed,
        startedBy,
        startedAt: nowIso(),
        instanceId: instances.instanceId,
      });
      if (!started) throw conflict('the meeting is being streamed already');
      if (setup.keyring === null) memoryKeys.set(m.id, key);
      const r = found(await store.streams.get(m.organisationId, m.id), 'stream');
      try {
        await audit.record({
          organisationId: m.organisationId,
          action: 'stream.started',
          actor: auditActor(caller),
          target: { kind: 'meeting', id: m.id, label: m.title },
          origin: caller.origin,
          detail: { url: req.url },
        });
        await launch(r, key, address);
      } catch (e) {
        await store.streams.update(m.id, runId, RUNNING, {
          status: 'failed',
          endedAt: nowIso(),
          failure: `the stream could not start: ${e instanceof Error ? e.message : String(e)}`,
        });
        throw e;
      }
      await tell(r);
      return view(r);
    },

    async stop(caller: Caller, meetingId: string): Promise<LiveStream> {
      const m = await asRunner(caller, meetingId);
      const r = await store.streams.get(m.organisationId, m.id);
      if (r === undefined || !RUNNING.includes(r.status)) throw conflict('the meeting is not being streamed');
      return view(await stopRunning(r, m, { actor: auditActor(caller), origin: caller.origin }));
    },

    /** The meeting ended or was cancelled (by `caller`, or by itself when its room emptied): its stream stops. */
    async meetingOver(m: Meeting, caller?: Caller): Promise<void> {
      const r = await store.streams.get(m.organisationId, m.id);
      if (r === undefined || !RUNNING.includes(r.status)) return;
      await stopRunning(r, m, caller === undefined ? SYSTEM : { actor: auditActor(caller), origin: caller.origin });
    },

    /**
     * At start: streams a previous run left running have no recorder any more (it went with the
     * server): each becomes failed. With several instances (`alone` false) they may be another's.
     */
    async recover(alone: boolean): Promise<void> {
      if (!alone) return;
      for (const r of await store.streams.allRunning())
        await store.streams.update(r.meetingId, r.runId, RUNNING, {
          status: 'failed',
          endedAt: nowIso(),
          failure: 'the server stopped while streaming',
        });
    },

    /**
     * Streams whose instance died (its recorder went with it) fail, and their hosts hear it (a
     * leased job, beside recordings' `settleOrphans`).
     */
    async settleOrphans(): Promise<void> {
      for (const r of await orphaned(await store.streams.allRunning(), instances)) {
        const failed = await store.streams.update(r.meetingId, r.runId, RUNNING, {
          status: 'failed',
          endedAt: nowIso(),
          failure: 'the server streaming it stopped',
        });
        if (failed !== undefined) await tell(failed);
      }
    },

    /** Waits for the ends of streams being recorded (the recorder supervisor is closed by recordings). */
    async close(): Promise<void> {
      while (settling.size > 0) await Promise.all(settling);
    },
  };
}

export type StreamingService = ReturnType<typeof streamingService>;
