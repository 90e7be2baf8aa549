import type { Meeting, Recording } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { applyRecordingLive, failureText, fromList, initialRecordingState, unavailableText } from './recordingState.ts';

const AT = '2026-11-26T10:00:00.000Z';
const recording = (over: Partial<Recording> = {}): Recording => ({
  id: 'r-1',
  meetingId: 'm-1',
  status: 'recording',
  startedBy: { id: 'u-ada', name: 'Ada' },
  createdAt: AT,
  startedAt: AT,
  endedAt: null,
  durationMs: null,
  sizeBytes: null,
  failure: null,
  expiresAt: null,
  ...over,
});
const changed = (r: Recording) => ({ type: 'recording.changed' as const, recording: r });
const meetingChanged = (rec: Meeting['recording']) => ({
  type: 'meeting.changed' as const,
  changedBy: { id: 'u-ada', name: 'Ada' },
  meeting: { id: 'm-1', recording: rec } as Meeting,
});

describe('a call’s recording state', () => {
  it('starts from the list: a running recording is active, and the reason a host could not start one', () => {
    const state = fromList(initialRecordingState('m-1'), {
      recordings: [recording({ id: 'old', status: 'ready' }), recording({ status: 'starting' })],
      unavailable: null,
    });
    expect(state.active).toEqual({ id: 'r-1', since: AT, starting: true });
    expect(fromList(initialRecordingState('m-1'), { recordings: [], unavailable: 'e2ee' })).toMatchObject({
      active: null,
      unavailable: 'e2ee',
    });
  });

  it('follows the meeting: recorded as soon as it says so, starting until the recorder runs', () => {
    let state = applyRecordingLive(initialRecordingState('m-1'), meetingChanged({ id: 'r-1', since: AT }));
    expect(state.active).toEqual({ id: 'r-1', since: AT, starting: true });
    state = applyRecordingLive(state, changed(recording()));
    expect(state.active?.starting).toBe(false);
    // A meeting.changed that repeats the same recording keeps knowing it runs.
    expect(applyRecordingLive(state, meetingChanged({ id: 'r-1', since: AT })).active?.starting).toBe(false);
    expect(applyRecordingLive(state, meetingChanged(null)).active).toBeNull();
  });

  it('ends the indicator when the recording stops or fails, keeping the failure to tell hosts', () => {
    const running = applyRecordingLive(initialRecordingState('m-1'), changed(recording()));
    expect(applyRecordingLive(running, changed(recording({ status: 'stopping' }))).active).toBeNull();
    const failed = applyRecordingLive(
      running,
      changed(recording({ status: 'failed', failure: 'boom', sizeBytes: 10 })),
    );
    expect(failed.active).toBeNull();
    expect(failed.failed?.id).toBe('r-1');
  });

  it('ignores other meetings and unrelated messages', () => {
    const state = initialRecordingState('m-1');
    expect(applyRecordingLive(state, changed(recording({ meetingId: 'm-2' })))).toBe(state);
    expect(applyRecordingLive(state, { type: 'hands.changed', meetingId: 'm-1', hands: [] })).toBe(state);
  });

  it('says why in words, and whether a failed recording kept its part', () => {
    expect(unavailableText('e2ee')).toMatch(/end-to-end encrypted/);
    expect(
      failureText(recording({ status: 'failed', failure: 'the recorder stopped unexpectedly', sizeBytes: 5 })),
    ).toBe(
      "Recording failed: the recorder stopped unexpectedly. The part recorded before it failed is kept with the meeting's recordings.",
    );
    expect(failureText(recording({ status: 'failed', failure: 'no', sizeBytes: null }))).toBe(
      'Recording failed: no. Nothing was recorded.',
    );
  });
});
