import { SPECIAL_PATHS, type TranscriptExportFormat, type TranscriptView } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import type { ApiFile } from './apiClient.ts';
import { isUnavailable } from './errors.ts';
import type { Session } from './session.ts';

/**
 * Meeting transcripts (issue 14). The server's transcript is the truth; each time main reads one
 * (the person opens it, or the meeting ends) it keeps the whole of it in the cache, so it reads
 * and is found by search (`search:everything`) when the server cannot be asked.
 */
export type TranscriptsService = {
  /** The server's transcript, kept; this device's copy when the server is unreachable. */
  get(meetingId: string): Promise<TranscriptView>;
  /** Fetches and keeps the transcript without answering it (a meeting that just ended). */
  keep(meetingId: string): Promise<void>;
  /** The server's export as text or WebVTT. */
  export(meetingId: string, format: TranscriptExportFormat): Promise<ApiFile>;
};

export function createTranscripts(deps: { readonly db: DbClient; readonly session: Session }): TranscriptsService {
  const { db, session } = deps;

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

    async keep(meetingId) {
      await fetchAndKeep(meetingId);
    },

    export: (meetingId, format) =>
      session.file(SPECIAL_PATHS.transcriptExport.replace(':meetingId', encodeURIComponent(meetingId)), { format }),
  };
}
