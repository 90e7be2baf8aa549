/**
 * What a call shows about its recording: whether it is being recorded now, whether a host could
 * start one (and why not), and a failure to tell the hosts. Filled from the meeting's recordings
 * when the call starts and kept current by the server's `recording.changed` and `meeting.changed`;
 * pure, so every rule here is tested without a Room.
 */
import {
  ACTIVE_RECORDING_STATUSES,
  type IpcEventPayload,
  type Recording,
  type RecordingList,
  type RecordingUnavailable,
} from '@tandem/shared';
import { translateNow } from '../i18n/current.ts';
import type { Translate } from '../i18n/useT.ts';

export type ActiveRecording = { readonly id: string; readonly since: string; readonly starting: boolean };

export type RecordingState = {
  readonly meetingId: string;
  /** The recording running now; null when the meeting is not being recorded. */
  readonly active: ActiveRecording | null;
  /** Why a host could not start one here; null when they could. */
  readonly unavailable: RecordingUnavailable | null;
  /** A recording of this meeting that failed while we were in the call (hosts are told why). */
  readonly failed: Recording | null;
};

export const initialRecordingState = (meetingId: string): RecordingState => ({
  meetingId,
  active: null,
  unavailable: null,
  failed: null,
});

const isActive = (r: Recording): boolean => (ACTIVE_RECORDING_STATUSES as readonly string[]).includes(r.status);
const activeOf = (r: Recording): ActiveRecording => ({
  id: r.id,
  since: r.createdAt,
  starting: r.status === 'starting',
});

/** The meeting's recordings as the server lists them when the call starts. */
export function fromList(state: RecordingState, list: RecordingList): RecordingState {
  const running = list.recordings.find(isActive);
  return { ...state, unavailable: list.unavailable, active: running === undefined ? null : activeOf(running) };
}

/** One live message from the server; messages about other meetings change nothing. */
export function applyRecordingLive(state: RecordingState, message: IpcEventPayload<'meeting:live'>): RecordingState {
  switch (message.type) {
    case 'recording.changed': {
      const r = message.recording;
      if (r.meetingId !== state.meetingId) return state;
      const failed = r.status === 'failed' ? r : state.failed;
      if (isActive(r)) return { ...state, active: activeOf(r), failed };
      return { ...state, active: state.active?.id === r.id ? null : state.active, failed };
    }
    case 'meeting.changed': {
      const { meeting } = message;
      if (meeting.id !== state.meetingId) return state;
      if (meeting.recording === null) return { ...state, active: null };
      // The meeting says only that it is recorded; whether the recorder runs yet comes with recording.changed.
      const same = state.active?.id === meeting.recording.id;
      return {
        ...state,
        active: {
          id: meeting.recording.id,
          since: meeting.recording.since,
          starting: same ? state.active?.starting === true : true,
        },
      };
    }
    default:
      return state;
  }
}

/** Why a meeting cannot be recorded, in words for the person who asked. */
export function unavailableText(reason: RecordingUnavailable, t: Translate = translateNow): string {
  switch (reason) {
    case 'e2ee':
      return t('recording.unavailable.e2ee');
    case 'organisation':
      return t('recording.unavailable.organisation');
    case 'policy':
      return t('recording.unavailable.policy');
    default: {
      const never: never = reason;
      throw new Error(`unknown reason ${String(never)}`);
    }
  }
}

/** What a host is told when a recording fails. */
export function failureText(recording: Recording, t: Translate = translateNow): string {
  const kept = recording.sizeBytes !== null && recording.sizeBytes > 0;
  const why = recording.failure ?? t('recording.failed.stopped');
  return t(kept ? 'recording.failed.kept' : 'recording.failed.nothing', { why });
}
