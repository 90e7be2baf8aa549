import {
  CAPTIONS_TOPIC,
  TRANSCRIPT_LATE_MS,
  type CaptionMessage,
  type CaptionsStatus,
  type CaptionsUnavailable,
  type Meeting,
  type SpeechStatus,
  type Transcript,
  type TranscriptExportFormat,
  type TranscriberReport,
  type TranscriptSearchParams,
  type TranscriptSearchResult,
  type TranscriptSegment,
} from '@tandem/shared';
import type { Cluster } from '../cluster/cluster.ts';
import type { Livekit } from '../livekit/index.ts';
import type { Store } from '../store/index.ts';
import type { HeardSegment, SpeechSidecar } from '../transcriber/sidecar.ts';
import type { TranscriberSupervisor } from '../transcriber/supervisor.ts';
import type { Caller } from './context.ts';
import { newId, SEARCH_PAGE, SEARCH_SCAN } from './context.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import { roomOf } from './meetings.ts';
import type { OrganisationSettingsService } from './organisationSettings.ts';
import type { Log } from './realtime.ts';

/** What transcription needs from the composition root: the speech sidecar and the transcriber processes. */
export type TranscriptionSetup = {
  readonly sidecar: SpeechSidecar;
  readonly supervisor: TranscriberSupervisor;
  /** A transcriber left alone in the call leaves after this long. */
  readonly aloneSeconds?: number;
};

/** A file of the transcript for the HTTP layer to send. */
export type TranscriptFile = { readonly contentType: string; readonly filename: string; readonly body: string };

/** A microphone the sidecar hears: whose it is, and when its first sample was heard. */
type Stream = {
  readonly organisationId: string;
  readonly meetingId: string;
  readonly speaker: TranscriptSegment['speaker'];
  firstAt: number | null;
};

/** How long a question about captions waits for the speech model to finish loading. */
const SETTLE_WAIT_MS = 20_000;

/**
 * A meeting's transcriber runs on one instance at a time, under this lease: LiveKit lets one
 * `transcriber-<id>` stay in the call, so a second started elsewhere would replace the first (and
 * lose what it was hearing). Kept every third of it while the process runs, let go when it ends;
 * an instance that dies lets it lapse, and reconciliation starts another (`ensure`).
 */
const LEASE_MS = 15_000;
const leaseOf = (meetingId: string): string => `transcriber:${meetingId}`;

const clock = (ms: number, separator: '.' | ','): string => {
  const whole = Math.max(0, Math.round(ms));
  const h = Math.floor(whole / 3_600_000);
  const m = Math.floor((whole % 3_600_000) / 60_000);
  const s = Math.floor((whole % 60_000) / 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator === '.' ? `.${pad(whole % 1000, 3)}` : ''}`;
};

/** WebVTT cue text: `&`, `<` and `>` are markup there. */
const vttText = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const safeFileName = (text: string): string =>
  text
    .replace(/[^\p{L}\p{N} ._-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120) || 'transcript';

/** The transcript as plain text or WebVTT; times count from its first segment. */
export function renderTranscript(
  title: string,
  segments: readonly TranscriptSegment[],
  format: TranscriptExportFormat,
): string {
  const origin = segments.length === 0 ? 0 : Date.parse(segments[0]?.startedAt ?? '');
  const at = (iso: string) => Date.parse(iso) - origin;
  if (format === 'vtt') {
    const cues = segments.map(
      (s, i) =>
        `${i + 1}\n${clock(at(s.startedAt), '.')} --> ${clock(at(s.endedAt), '.')}\n<v ${vttText(s.speaker.name)}>${vttText(s.text)}`,
    );
    return `WEBVTT - ${title.replace(/-->|\n/g, ' ')}\n\n${cues.join('\n\n')}\n`;
  }
  const lines = segments.map((s) => `[${clock(at(s.startedAt), ',')}] ${s.speaker.name}: ${s.text}`);
  return `${title}\n${segments[0]?.startedAt ?? ''}\n\n${lines.join('\n')}\n`;
}

/**
 * Transcripts and live captions. While a meeting's organisation has transcription on (and IT's
 * policy allows it), a transcriber process joins its call hidden (transcriber/main.ts, one per
 * meeting, started when someone joins or asks whether captions are on) and hands every microphone's
 * audio to the speech sidecar. Each utterance the sidecar hears is stored as a segment with its
 * speaker and times, and sent to everyone in the call on the `tandem.captions` data topic; each
 * person shows the captions or not. Reading the transcript takes the right to take part in the meeting.
 */
export function transcriptService(
  store: Store,
  livekit: Livekit,
  access: MeetingAccess,
  organisation: OrganisationSettingsService,
  setup: TranscriptionSetup,
  cluster: Pick<Cluster, 'hold' | 'release'>,
  log: Log,
) {
  const streams = new Map<string, Stream>();
  const starting = new Set<string>();
  let closed = false;

  async function unavailable(m: Meeting): Promise<CaptionsUnavailable | null> {
    if (m.settings.e2ee) return 'e2ee';
    if (!organisation.policy.transcription) return 'policy';
    if (!(await organisation.own(m.organisationId)).transcription) return 'organisation';
    // While the model loads, wait for it (a few seconds at most): a sidecar that fails to start says so then.
    const speech =
      setup.sidecar.status().state !== 'starting'
        ? setup.sidecar.status()
        : await Promise.race([
            setup.sidecar.settled(),
            new Promise<SpeechStatus>((resolve) =>
              setTimeout(() => resolve(setup.sidecar.status()), SETTLE_WAIT_MS).unref(),
            ),
          ]);
    return speech.state === 'unavailable' ? 'model' : null;
  }

  async function keep(heard: HeardSegment): Promise<void> {
    const stream = streams.get(heard.stream);
    if (stream === undefined || stream.firstAt === null) return;
    const segment: TranscriptSegment = {
      id: newId(),
      meetingId: stream.meetingId,
      speaker: stream.speaker,
      startedAt: new Date(stream.firstAt + heard.start * 1000).toISOString(),
      endedAt: new Date(stream.firstAt + heard.end * 1000).toISOString(),
      text: heard.text,
    };
    await store.transcripts.add({ ...segment, organisationId: stream.organisationId });
    await send(stream.meetingId, { type: 'caption', segment, utterance: utteranceOf(heard) });
  }

  const send = (meetingId: string, message: CaptionMessage) =>
    livekit.broadcast(roomOf(meetingId), CAPTIONS_TOPIC, new TextEncoder().encode(JSON.stringify(message)));

  /** An utterance's name, the same in its partials and its segment: its stream and where in it it began. */
  const utteranceOf = (heard: { readonly stream: string; readonly start: number }) => `${heard.stream}@${heard.start}`;

  setup.sidecar.onSegment((heard) => {
    keep(heard).catch((e: unknown) => log(`a transcript segment of ${heard.stream} could not be kept`, e));
  });

  // Interim captions: sent as they come, never stored; the segment replaces them.
  setup.sidecar.onPartial((heard) => {
    const stream = streams.get(heard.stream);
    if (stream === undefined || stream.firstAt === null) return;
    send(stream.meetingId, {
      type: 'partial',
      utterance: utteranceOf(heard),
      meetingId: stream.meetingId,
      speaker: stream.speaker,
      startedAt: new Date(stream.firstAt + heard.start * 1000).toISOString(),
      text: heard.text,
    }).catch((e: unknown) => log(`an interim caption of ${heard.stream} could not be sent`, e));
  });

  /** `run` names one transcriber process of the meeting: a later one's streams are its own. */
  async function heard(m: Meeting, run: string, r: TranscriberReport): Promise<void> {
    switch (r.type) {
      case 'joined':
        return;
      case 'track': {
        const user = await store.identity.getUser(m.organisationId, r.speaker.identity);
        streams.set(`${run}/${r.stream}`, {
          organisationId: m.organisationId,
          meetingId: m.id,
          speaker: { userId: user?.id ?? null, name: r.speaker.name },
          firstAt: null,
        });
        return;
      }
      case 'audio': {
        const key = `${run}/${r.stream}`;
        const stream = streams.get(key);
        if (stream === undefined) return;
        stream.firstAt ??= r.at;
        setup.sidecar.audio(key, Buffer.from(r.pcm, 'base64'));
        return;
      }
      case 'ended':
        setup.sidecar.flush(`${run}/${r.stream}`);
        return;
      case 'failed':
        log(`the transcriber of meeting ${m.id} failed: ${r.message}`, undefined);
        return;
      default: {
        const never: never = r;
        throw new Error(`unknown transcriber report ${String(never)}`);
      }
    }
  }

  /**
   * Starts the meeting's transcriber unless one runs (here, or on another instance: its lease) or
   * its meeting is not transcribed. Without Redis to ask, it starts: captions go on, and LiveKit
   * keeps one transcriber in the call.
   */
  async function ensure(m: Meeting): Promise<void> {
    if (closed || m.status === 'ended' || m.status === 'cancelled') return;
    if (setup.supervisor.running(m.id) || starting.has(m.id)) return;
    starting.add(m.id);
    const lease = leaseOf(m.id);
    let leased = false;
    try {
      if ((await unavailable(m)) !== null || closed) return;
      leased = await cluster.hold(lease, LEASE_MS, true);
      if (!leased) return;
      const room = roomOf(m.id);
      await livekit.ensureRoom(room);
      const token = await livekit.mintTranscriber(room, m.id);
      const run = newId();
      /** Keeps the lease while the process runs (set once it started; its end comes later, from its exit event). */
      let keep: NodeJS.Timeout | undefined;
      // Reports are handled in order: a track is known before its audio.
      let queue = Promise.resolve();
      const started = setup.supervisor.start(
        { type: 'start', meetingId: m.id, livekitUrl: livekit.wsUrl, token, aloneSeconds: setup.aloneSeconds ?? 60 },
        {
          report: (r) => {
            queue = queue.then(() => heard(m, run, r)).catch((e: unknown) => log(`transcriber report of ${m.id}`, e));
          },
          exited: () => {
            clearInterval(keep);
            cluster.release(lease).catch((e: unknown) => log(`the transcriber lease of ${m.id}`, e));
            // What each microphone said last is transcribed, and the sidecar forgets the streams.
            for (const key of streams.keys()) if (key.startsWith(`${run}/`)) setup.sidecar.flush(key);
            // Their last utterances may still come; later ones are dropped (clients read again after this).
            setTimeout(() => {
              for (const key of streams.keys()) if (key.startsWith(`${run}/`)) streams.delete(key);
            }, TRANSCRIPT_LATE_MS).unref();
          },
        },
      );
      if (started) {
        keep = setInterval(() => {
          cluster.hold(lease, LEASE_MS, true).catch((e: unknown) => log(`the transcriber lease of ${m.id}`, e));
        }, LEASE_MS / 3);
        keep.unref();
        // From now on the process's end lets the lease go.
        leased = false;
      }
    } finally {
      starting.delete(m.id);
      // Taken but nothing started (LiveKit refused the room or the token): another may try.
      if (leased) await cluster.release(lease).catch((e: unknown) => log(`the transcriber lease of ${m.id}`, e));
    }
  }

  return {
    ensure,

    /** Whether the meeting has captions; asking starts its transcriber when it should run and does not. */
    async status(caller: Caller, meetingId: string): Promise<CaptionsStatus> {
      const m = await access.meeting(caller, meetingId);
      const why = await unavailable(m);
      if (why === null) await ensure(m);
      return { unavailable: why };
    },

    async transcript(caller: Caller, meetingId: string, words?: string): Promise<Transcript> {
      const m = await access.meeting(caller, meetingId);
      return { segments: await store.transcripts.ofMeeting(m.organisationId, m.id, words) };
    },

    /**
     * Segments containing the words, narrowed by the query's filters, from the meetings the
     * caller may read only: pages on past the others until `limit` hits, scanning at most
     * SEARCH_SCAN rows.
     */
    async search(caller: Caller, query: TranscriptSearchParams): Promise<TranscriptSearchResult> {
      const { q, limit, ...filters } = query;
      const hits: TranscriptSearchResult['hits'] = [];
      const readable = new Map<string, boolean>();
      let below: TranscriptSegment | undefined;
      for (let scanned = 0; scanned < SEARCH_SCAN && hits.length < limit; scanned += SEARCH_PAGE) {
        const rows = await store.transcripts.search(caller.user.organisationId, q, {
          ...filters,
          below,
          limit: SEARCH_PAGE,
        });
        for (const hit of rows) {
          below = hit.segment;
          const id = hit.segment.meetingId;
          let may = readable.get(id);
          if (may === undefined) {
            may = await access.meeting(caller, id).then(
              () => true,
              () => false,
            );
            readable.set(id, may);
          }
          if (may) hits.push(hit);
          if (hits.length === limit) break;
        }
        if (rows.length < SEARCH_PAGE) break;
      }
      return { hits };
    },

    async export(caller: Caller, meetingId: string, format: TranscriptExportFormat): Promise<TranscriptFile> {
      const m = await access.meeting(caller, meetingId);
      const segments = await store.transcripts.ofMeeting(m.organisationId, m.id);
      const day = (segments[0]?.startedAt ?? m.createdAt).slice(0, 10);
      return {
        contentType: format === 'vtt' ? 'text/vtt; charset=utf-8' : 'text/plain; charset=utf-8',
        filename: `${safeFileName(m.title)} ${day}.${format}`,
        body: renderTranscript(m.title, segments, format),
      };
    },

    /** The meeting ended or was cancelled: its transcriber leaves. */
    meetingOver(m: Meeting): void {
      setup.supervisor.stop(m.id);
    },

    /** For /healthz: whether the speech model is loaded here. */
    speech: (): SpeechStatus => setup.sidecar.status(),

    async close(): Promise<void> {
      closed = true;
      await setup.supervisor.close();
      await setup.sidecar.close();
    },
  };
}

export type TranscriptService = ReturnType<typeof transcriptService>;
