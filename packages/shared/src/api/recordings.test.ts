import { describe, expect, it } from 'vitest';
import { recordingAt, type Recording } from './recordings.ts';

const recording = (id: string, startedAt: string | null, endedAt: string | null, extra: Partial<Recording> = {}) => ({
  id,
  status: 'ready' as const,
  startedAt,
  endedAt,
  sizeBytes: 1000,
  ...extra,
});

describe('recordingAt', () => {
  const at = (iso: string) => Date.parse(iso);

  it('finds the recording that covers a moment and the offset into it', () => {
    const recordings = [
      recording('r1', '2026-12-03T10:00:00.000Z', '2026-12-03T10:10:00.000Z'),
      recording('r2', '2026-12-03T10:20:00.000Z', null, { status: 'recording' }),
    ];
    expect(recordingAt(recordings, at('2026-12-03T10:01:30.000Z'))).toEqual({ id: 'r1', offsetMs: 90_000 });
    expect(recordingAt(recordings, at('2026-12-03T11:00:00.000Z'))).toEqual({ id: 'r2', offsetMs: 40 * 60_000 });
    expect(recordingAt(recordings, at('2026-12-03T10:15:00.000Z'))).toBeNull();
  });

  it('never plays one that never began writing, nor a failed one that kept nothing', () => {
    expect(
      recordingAt([recording('r', null, null, { status: 'starting' })], at('2026-12-03T10:00:00.000Z')),
    ).toBeNull();
    const failed = recording('f', '2026-12-03T10:00:00.000Z', '2026-12-03T10:05:00.000Z', { status: 'failed' });
    expect(recordingAt([{ ...failed, sizeBytes: 0 }], at('2026-12-03T10:01:00.000Z'))).toBeNull();
    expect(recordingAt([failed], at('2026-12-03T10:01:00.000Z'))).toEqual({ id: 'f', offsetMs: 60_000 });
  });
});
