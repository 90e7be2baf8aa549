import { SPECIAL_PATHS, TRANSCRIPT_LATE_MS, type TranscriptExportFormat, type TranscriptView } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import type { ApiFile } from './apiClient.ts';
import { inBackground, isUnavailable } from './errors.ts';
import type { Session } from './session.ts';

/**
 * Meeting transcripts (issue 14). The server's transcript is the truth; each time main reads one
 * (the person opens it, the meeting ends, or the person leaves its call) it keeps the whole of
 * it in the cache, so it reads and is found by search (`search:everything`) when the server cannot
 * be asked. The last sentence is transcribed after the end (or after the person left), so the
 * transcript is read again once the server stores no more of it.
 */
export type TranscriptsService = {
  /** The server's transcript, kept; this device's copy when the server is unreachable. */
  get(meetingId: string): Promise<TranscriptView>;
  /**
   * The meeting ended, or the person left its call (a personal room never ends): keeps its
   * transcript now, and again once its last segments are stored (`rereadMs` later). Failures go
   * to `onError`; none when the server cannot be reached.
   */
  keep(meetingId: string): void;
  /** The server's export as text or WebVTT. */
  export(meetingId: string, format: TranscriptExportFormat): Promise<ApiFile>;
  /** Forgets the reads still to come. */
  close(): void;
};

/**
 * When a transcript kept at a meeting's end (or at leaving it) is read again: the server stores
 * segments until TRANSCRIPT_LATE_MS after its transcriber left, which it does within seconds.
 */
const TRANSCRIPT_REREAD_MS = TRANSCRIPT_LATE_MS + 30_000;

export function createTranscripts(deps: {
  readonly db: DbClient;
  readonly session: Session;
  readonly onError: (error: unknown) => void;
  /** TRANSCRIPT_REREAD_MS unless a test shortens it. */
  readonly rereadMs?: number;
}): TranscriptsService {
  const { db, session } = deps;
  const rereads = new Map<string, NodeJS.Timeout>();

  async function fetchAndKeep(meetingId: string): Promise<TranscriptView> {
    const params = { meetingId };
    const [meeting, transcript] = await Promise.all([
      session.call('getMeeting', { params }),
      session.call('meetingTranscript', { params, query: {} }),
    ]);
    await db.write('keepTranscript', {
      meetingId,
      meetingTitle: meeting.title,
      segments: transcript.segments,
      at: new Date().toISOString(),
    });
    return { meetingTitle: meeting.title, segments: transcript.segments, source: 'server' };
  }

  return {
    async get(meetingId) {
      try {
        return await fetchAndKeep(meetingId);
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        const kept = await db.read('transcript', meetingId);
        // Offline with no copy: the renderer says the transcript needs the server.
        if (kept === null) throw error;
        return { ...kept, source: 'device' };
      }
    },

    keep(meetingId) {
      inBackground(fetchAndKeep(meetingId), deps.onError);
      clearTimeout(rereads.get(meetingId));
      const timer = setTimeout(() => {
        rereads.delete(meetingId);
        inBackground(fetchAndKeep(meetingId), deps.onError);
      }, deps.rereadMs ?? TRANSCRIPT_REREAD_MS);
      timer.unref();
      rereads.set(meetingId, timer);
    },

    export: (meetingId, format) =>
      session.file(SPECIAL_PATHS.transcriptExport.replace(':meetingId', encodeURIComponent(meetingId)), { format }),

    close() {
      for (const timer of rereads.values()) clearTimeout(timer);
      rereads.clear();
    },
  };
}
