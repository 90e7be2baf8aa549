import type {
  ConfirmNoteItemRequest,
  ConfirmNoteItemResult,
  DecisionWithHistory,
  Meeting,
  MeetingNotes,
  NoteItem,
  Recording,
  RecordingLink,
  TandemClient,
  TranscriptExportFormat,
  TranscriptView,
} from '@tandem/shared';
import { createContext, useContext } from 'react';

/** A note item's address: its meeting, its notes and itself. */
export type ItemRef = { readonly meetingId: string; readonly notesId: string; readonly itemId: string };

/** What meeting notes and the Decisions view ask of main (or the page's server). */
export type NotesController = {
  /** The meeting's latest notes; null before any were made. */
  latest(meetingId: string): Promise<MeetingNotes | null>;
  /** Notes made now, with dates read in this machine's time zone. */
  generate(meetingId: string): Promise<MeetingNotes>;
  confirm(item: ItemRef, edits: ConfirmNoteItemRequest): Promise<ConfirmNoteItemResult>;
  dismiss(item: ItemRef): Promise<NoteItem>;
  /** A short-lived address of a recording, to play the moment an item was said. */
  recordingLink(meetingId: string, recordingId: string): Promise<RecordingLink>;
  /** A decision with the history of its changes. */
  history(decisionId: string): Promise<DecisionWithHistory>;
  /** The meetings the person owns or is invited to (ended ones too), to filter decisions and open notes by. */
  meetings(): Promise<readonly Meeting[]>;
  /** The meeting's transcript (the desktop keeps it, so it reads offline too). */
  transcript(meetingId: string): Promise<TranscriptView>;
  /** The transcript as a text or WebVTT file, to save. */
  exportTranscript(
    meetingId: string,
    format: TranscriptExportFormat,
  ): Promise<{ filename: string; mimeType: string; content: string }>;
  /** The meeting's recordings, to play a moment of the transcript from. */
  recordings(meetingId: string): Promise<readonly Recording[]>;
};

export function createNotesController(
  client: Pick<
    TandemClient,
    | 'notesGet'
    | 'notesGenerate'
    | 'notesConfirm'
    | 'notesReject'
    | 'recordingsLink'
    | 'decisionsHistory'
    | 'meetingsListAll'
    | 'transcriptsGet'
    | 'transcriptsExport'
    | 'recordingsList'
  >,
  timeZone: () => string = () => Intl.DateTimeFormat().resolvedOptions().timeZone,
): NotesController {
  return {
    latest: async (meetingId) => (await client.notesGet({ params: { meetingId }, body: {} })).notes,
    generate: (meetingId) => client.notesGenerate({ params: { meetingId }, body: { timeZone: timeZone() } }),
    confirm: (item, edits) => client.notesConfirm({ params: item, body: edits }),
    dismiss: (item) => client.notesReject({ params: item, body: {} }),
    recordingLink: (meetingId, recordingId) => client.recordingsLink({ params: { meetingId, recordingId }, body: {} }),
    history: (decisionId) => client.decisionsHistory({ params: { decisionId }, body: {} }),
    meetings: async () => (await client.meetingsListAll({ params: {}, body: {}, query: { scope: 'mine' } })).meetings,
    transcript: (meetingId) => client.transcriptsGet({ meetingId }),
    exportTranscript: (meetingId, format) => client.transcriptsExport({ meetingId, format }),
    recordings: async (meetingId) => (await client.recordingsList({ params: { meetingId }, body: {} })).recordings,
  };
}

/** Provided by the composition root (`main.tsx`) with `createNotesController(client)`. */
export const NotesControllerContext = createContext<NotesController | undefined>(undefined);

export function useNotesController(): NotesController {
  const controller = useContext(NotesControllerContext);
  if (controller === undefined) throw new Error('useNotesController must be used inside NotesControllerContext');
  return controller;
}
