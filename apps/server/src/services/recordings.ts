import {
  ACTIVE_RECORDING_STATUSES,
  type AuditActor,
  type Meeting,
  type Recording,
  type RecordingLink,
  type RecordingList,
  type RecordingStatus,
  type RecordingUnavailable,
  type RecorderVideo,
  type RequestOrigin,
} from '@tandem/shared';
import type { Cluster } from '../cluster/cluster.ts';
import { orphaned } from '../cluster/orphaned.ts';
import type { Livekit } from '../livekit/index.ts';
import { keepScratch, type KeptFile } from '../recorder/keep.ts';
import type { MediaTools } from '../recorder/media.ts';
import type { ByteRange, RecordingStorage } from '../recorder/storage.ts';
import type { RecorderOutcome, RecorderSupervisor } from '../recorder/supervisor.ts';
import type { RecordingRecord, Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { hashToken, newToken } from './auth.ts';
import { auditActor, type Caller, newId, nowIso } from './context.ts';
import { conflict, forbidden, found, notFound } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import { roomOf, type MeetingService } from './meetings.ts';
import type { OrganisationSettingsService } from './organisationSettings.ts';
import type { Log, Realtime } from './realtime.ts';

/** What recording needs from the composition root: where files go, the recorder processes, the page. */
export type RecordingSetup = {
  readonly storage: RecordingStorage;
  readonly media: MediaTools;
  readonly supervisor: RecorderSupervisor;
  readonly chromiumPath: string;
  readonly video: RecorderVideo;
  /** The composition page (the renderer build's recorder.html on this server), known once it listens. */
  readonly pageUrl: () => string;
  /** The address of a recording's file through a link token (SPECIAL_PATHS.recordingMedia). */
  readonly mediaUrl: (token: string) => string;
  /** A recorder left alone in the call finishes by itself after this long. */
  readonly aloneSeconds?: number;
};

/** A recording's file, opened through a link, for the HTTP layer to send. */
export type RecordingMedia = {
  readonly size: number;
  /** What a download is called: the meeting's title and the day. */
  readonly fileName: string;
  read(range?: ByteRange): Promise<NodeJS.ReadableStream>;
};

const RUNNING: readonly RecordingStatus[] = ['starting', 'recording', 'stopping'];
const isActive = (status: RecordingStatus): boolean =>
  (ACTIVE_RECORDING_STATUSES as readonly string[]).includes(status);

/** Long enough to watch a long meeting through (a `<video>` keeps asking with the same address). */
const LINK_TTL_MS = 6 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
export const RETENTION_SWEEP_MS = 60 * 60 * 1000;

/** The server acting by itself (a retention deletion): the audit log names it so. */
const SYSTEM: { readonly actor: AuditActor; readonly origin: RequestOrigin } = {
  actor: { kind: 'system', id: null, label: 'Tandem server' },
  origin: { address: '', client: 'tandem-server' },
};

const REFUSALS: Readonly<Record<RecordingUnavailable, () => Error>> = {
  e2ee: () => conflict('this meeting is end-to-end encrypted: the server cannot see its media, so it cannot record it'),
  organisation: () => forbidden('recording is turned off in this organisation'),
  policy: () => forbidden('recording is turned off on this server by IT policy'),
};

const safeFileName = (text: string): string =>
  text
    .replace(/[^\p{L}\p{N} ._-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120) || 'recording';

/**
 * Recording: hosts start and stop it, a recorder process per recording (apps/recorder, supervised
 * by `recorder/supervisor.ts`) joins the call hidden and writes the file as it comes. Whatever the
 * recorder wrote is kept: a recorder that crashes leaves a failed recording with its partial file,
 * and the meeting's hosts are told. While a recording runs the meeting carries it (`recording`),
 * so everyone in the call and everyone about to join is told.
 */
export function recordingService(
  store: Store,
  livekit: Livekit,
  realtime: Realtime,
  access: MeetingAccess,
  audit: AuditService,
  organisation: OrganisationSettingsService,
  meetings: MeetingService,
  setup: RecordingSetup,
  log: Log,
  /** This instance (which runs the recorders it starts), and which others are alive. */
  instances: Pick<Cluster, 'instanceId' | 'alive'>,
) {
  /** Settlements under way, so closing waits for them before the store goes. */
  const settling = new Set<Promise<void>>();

  const view = (r: RecordingRecord): Recording => ({
    id: r.id,
    meetingId: r.meetingId,
    status: r.status,
    startedBy: r.startedBy,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationMs: r.durationMs,
    sizeBytes: r.sizeBytes,
    failure: r.failure,
    expiresAt:
      r.endedAt === null || RUNNING.includes(r.status)
        ? null
        : new Date(Date.parse(r.endedAt) + r.retentionDays * DAY_MS).toISOString(),
  });

  async function unavailable(m: Meeting): Promise<RecordingUnavailable | null> {
    if (m.settings.e2ee) return 'e2ee';
    if (!organisation.policy.recording) return 'policy';
    if (!(await organisation.own(m.organisationId)).recording) return 'organisation';
    return null;
  }

  /**
   * Tells the meeting's audience and whoever waits in its lobby how the recording stands; when the
   * meeting's own `recording` changed with it, those the meeting concerns hear `meeting.changed`.
   */
  async function tell(r: RecordingRecord, meetingChanged: boolean, by: { id: string; name: string }): Promise<void> {
    const m = await store.meetings.get(r.organisationId, r.meetingId);
    if (m === undefined) return;
    const people = await access.audience(m);
    for (const e of await store.meetings.listEntries(m.id, 'waiting')) people.add(e.userId);
    realtime.toUsers(people, { type: 'recording.changed', recording: view(r) });
    if (meetingChanged) await meetings.republish(m, by);
  }

  /** The recorder is gone: keep what it wrote, and say how the recording ended. */
  async function settle(id: string, outcome: RecorderOutcome): Promise<void> {
    const r = await store.recordings.runningById(id);
    if (r === undefined) return;
    let kept: KeptFile | null = null;
    let keepError: string | null = null;
    try {
      kept = await keepScratch(setup.storage, setup.media, r.id, `${r.organisationId}/${r.id}.mp4`);
    } catch (e) {
      keepError = e instanceof Error ? e.message : String(e);
      log(`recording ${id}: its file could not be kept`, e);
    }
    // Why it failed; whether a part was kept is in its size (a failed recording keeps its file).
    const failure =
      outcome.kind === 'failed'
        ? outcome.reason
        : kept === null
          ? keepError === null
            ? 'the recorder wrote nothing playable'
            : `the file could not be kept: ${keepError}`
          : null;
    const settled = await store.recordings.update(id, RUNNING, {
      status: failure === null ? 'ready' : 'failed',
      endedAt: r.endedAt ?? nowIso(),
      failure,
      ...(kept === null ? {} : kept),
    });
    if (settled !== undefined) await tell(settled, isActive(r.status), settled.startedBy);
  }

  function settleLater(id: string, outcome: RecorderOutcome): void {
    const p = settle(id, outcome)
      .catch((e: unknown) => log(`recording ${id} could not be settled`, e))
      .finally(() => settling.delete(p));
    settling.add(p);
  }

  async function launch(r: RecordingRecord, m: Meeting): Promise<void> {
    const room = roomOf(m.id);
    await livekit.ensureRoom(room);
    const token = await livekit.mintRecorder(room, r.id);
    setup.supervisor.start(
      {
        type: 'start',
        recordingId: r.id,
        pageUrl: setup.pageUrl(),
        chromiumPath: setup.chromiumPath,
        output: { kind: 'file', path: setup.storage.scratchFile(r.id) },
        page: { livekitUrl: livekit.wsUrl, token, video: setup.video, aloneSeconds: setup.aloneSeconds ?? 60 },
      },
      {
        recording: (at) => {
          void store.recordings
            .update(r.id, ['starting'], { status: 'recording', startedAt: at })
            .then((now) => (now === undefined ? undefined : tell(now, false, now.startedBy)))
            .catch((e: unknown) => log(`recording ${r.id}: its start could not be recorded`, e));
        },
        exited: (outcome) => settleLater(r.id, outcome),
      },
    );
  }

  /** Stops the recording as `by` asked (a host's stop, or the meeting's end). */
  async function stopRunning(r: RecordingRecord, caller: Caller, m: Meeting): Promise<RecordingRecord> {
    if (r.status === 'stopping') return r;
    const stopping = await store.recordings.update(r.id, ['starting', 'recording'], {
      status: 'stopping',
      endedAt: nowIso(),
    });
    // It ended by itself meanwhile: it is as it is.
    if (stopping === undefined) return found(await store.recordings.get(m.organisationId, r.id), 'recording');
    await audit.record({
      organisationId: m.organisationId,
      action: 'recording.stopped',
      actor: auditActor(caller),
      target: { kind: 'meeting', id: m.id, label: m.title },
      origin: caller.origin,
      detail: { recordingId: r.id },
    });
    if (!setup.supervisor.stop(r.id)) settleLater(r.id, { kind: 'failed', reason: 'the recorder was not running' });
    await tell(stopping, true, { id: caller.user.id, name: caller.user.name });
    return stopping;
  }

  async function ofMeeting(m: Meeting, recordingId: string): Promise<RecordingRecord> {
    const r = await store.recordings.get(m.organisationId, recordingId);
    if (r === undefined || r.meetingId !== m.id) throw notFound('recording');
    return r;
  }

  async function sweep(now: Date = new Date()): Promise<number> {
    const at = now.toISOString();
    const expired = await store.recordings.expired(at);
    for (const r of expired) {
      if (r.storageKey !== null) await setup.storage.remove(r.storageKey);
      await store.recordings.remove(r.id);
      await audit.record({
        organisationId: r.organisationId,
        action: 'recording.deleted',
        actor: SYSTEM.actor,
        target: { kind: 'recording', id: r.id },
        origin: SYSTEM.origin,
        detail: { meetingId: r.meetingId, reason: 'retention', retentionDays: r.retentionDays },
      });
    }
    await store.recordings.dropExpiredLinks(at);
    return expired.length;
  }

  return {
    /** Recordings of the meeting, and whether a host could start one: for its participants. */
    async list(caller: Caller, meetingId: string): Promise<RecordingList> {
      const m = await access.asParticipant(caller, meetingId);
      const recordings = await store.recordings.ofMeeting(m.organisationId, m.id);
      return { recordings: recordings.map(view), unavailable: await unavailable(m) };
    },

    async start(caller: Caller, meetingId: string): Promise<Recording> {
      const m = await access.asHost(caller, meetingId);
      const why = await unavailable(m);
      if (why !== null) throw REFUSALS[why]();
      if (m.status === 'ended' || m.status === 'cancelled') throw conflict(`the meeting is ${m.status}`);
      const id = newId();
      const startedBy = { id: caller.user.id, name: caller.user.name };
      const inserted = await store.recordings.insert({
        id,
        organisationId: m.organisationId,
        meetingId: m.id,
        startedBy,
        createdAt: nowIso(),
        instanceId: instances.instanceId,
      });
      if (!inserted) throw conflict('the meeting is being recorded already');
      const r = found(await store.recordings.get(m.organisationId, id), 'recording');
      try {
        await audit.record({
          organisationId: m.organisationId,
          action: 'recording.started',
          actor: auditActor(caller),
          target: { kind: 'meeting', id: m.id, label: m.title },
          origin: caller.origin,
          detail: { recordingId: id },
        });
        await launch(r, m);
      } catch (e) {
        await store.recordings.update(id, RUNNING, {
          status: 'failed',
          endedAt: nowIso(),
          failure: `the recording could not start: ${e instanceof Error ? e.message : String(e)}`,
        });
        throw e;
      }
      await tell(r, true, startedBy);
      return view(r);
    },

    async stop(caller: Caller, meetingId: string, recordingId: string): Promise<Recording> {
      const m = await access.asHost(caller, meetingId);
      const r = await ofMeeting(m, recordingId);
      if (!RUNNING.includes(r.status)) throw conflict(`the recording is ${r.status} already`);
      return view(await stopRunning(r, caller, m));
    },

    /** A short-lived address of the file, to play or download; a failed recording's partial file too. */
    async link(caller: Caller, meetingId: string, recordingId: string): Promise<RecordingLink> {
      const m = await access.asParticipant(caller, meetingId);
      const r = await ofMeeting(m, recordingId);
      if (r.storageKey === null) throw conflict(`the recording has no file${RUNNING.includes(r.status) ? ' yet' : ''}`);
      const token = newToken();
      const expiresAt = new Date(Date.now() + LINK_TTL_MS).toISOString();
      await store.recordings.addLink(hashToken(token), r.id, expiresAt);
      const url = setup.mediaUrl(token);
      return { url, downloadUrl: `${url}?download=1`, expiresAt };
    },

    /** The file behind a link while the link is valid; 404 otherwise, as for anything that is not there. */
    async media(token: string): Promise<RecordingMedia> {
      const r = found(await store.recordings.byLink(hashToken(token), nowIso()), 'recording');
      const key = r.storageKey;
      const size = key === null ? undefined : await setup.storage.size(key);
      if (key === null || size === undefined) throw notFound('recording');
      const m = await store.meetings.get(r.organisationId, r.meetingId);
      const day = (r.startedAt ?? r.createdAt).slice(0, 10);
      return {
        size,
        fileName: `${safeFileName(m?.title ?? 'Meeting')} ${day}.mp4`,
        read: (range) => setup.storage.read(key, range),
      };
    },

    async remove(caller: Caller, meetingId: string, recordingId: string): Promise<void> {
      const m = await access.asHost(caller, meetingId);
      const r = await ofMeeting(m, recordingId);
      if (RUNNING.includes(r.status)) throw conflict('stop the recording before deleting it');
      if (r.storageKey !== null) await setup.storage.remove(r.storageKey);
      await store.recordings.remove(r.id);
      await audit.record({
        organisationId: m.organisationId,
        action: 'recording.deleted',
        actor: auditActor(caller),
        target: { kind: 'recording', id: r.id },
        origin: caller.origin,
        detail: { meetingId: m.id },
      });
    },

    /** The meeting ended or was cancelled: its recording stops with it. */
    async meetingOver(caller: Caller, m: Meeting): Promise<void> {
      const r = await store.recordings.running(m.organisationId, m.id);
      if (r !== undefined) await stopRunning(r, caller, m);
    },

    /** Deletes what the organisations' retention periods let go of; answers how many (hourly, under a lease). */
    sweep,

    /**
     * At start: recordings a previous run left running have no recorder any more (it went with
     * the server); each becomes failed, keeping what was written. With several instances
     * (`alone` false) the running ones may be another instance's, still recording: none is
     * touched. Then what retention let go of while the server was down is deleted (the sweep runs
     * hourly after that).
     */
    async recover(alone: boolean): Promise<void> {
      if (alone)
        for (const r of await store.recordings.allRunning())
          settleLater(r.id, { kind: 'failed', reason: 'the server stopped while recording' });
      await Promise.all(settling);
      await sweep();
    },

    /**
     * Recordings whose instance died (SIGKILL, a lost machine: its recorders went with it) fail,
     * keeping what can still be read of their file, and their meetings hear it (a leased job; one
     * that stops cleanly finishes its own, `close`). Those of no known instance (started before
     * 056_recording_instance) are left as they are.
     */
    async settleOrphans(): Promise<void> {
      for (const r of await orphaned(await store.recordings.allRunning(), instances))
        settleLater(r.id, { kind: 'failed', reason: 'the server recording it stopped' });
      await Promise.all(settling);
    },

    /** Finishes every running recording (the server is closing) and waits for them to be kept. */
    async close(): Promise<void> {
      await setup.supervisor.close();
      while (settling.size > 0) await Promise.all(settling);
    },
  };
}

export type RecordingService = ReturnType<typeof recordingService>;
