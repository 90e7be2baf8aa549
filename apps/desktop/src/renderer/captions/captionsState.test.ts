import type { TranscriptSegment } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { addCaption, CAPTION_LINES, initialCaptionsState, unavailableText } from './captionsState.ts';

const segment = (n: number): TranscriptSegment => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  meetingId: '00000000-0000-4000-8000-000000000999',
  speaker: { userId: null, name: `Speaker ${n}` },
  startedAt: new Date(Date.UTC(2026, 0, 1, 10, 0, n)).toISOString(),
  endedAt: new Date(Date.UTC(2026, 0, 1, 10, 0, n + 1)).toISOString(),
  text: `line ${n}`,
});

describe('captions state', () => {
  it('keeps the newest lines in the order they were said, once each', () => {
    let state = initialCaptionsState;
    for (const n of [2, 1, 3, 4, 4]) state = addCaption(state, segment(n));
    expect(state.lines.map((l) => l.text)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(state.lines).toHaveLength(CAPTION_LINES);
  });

  it('says why captions are missing, and nothing when they work', () => {
    expect(unavailableText(null)).toBeUndefined();
    expect(unavailableText('model')).toMatch(/speech model is not installed/);
    expect(unavailableText('e2ee')).toMatch(/end-to-end encrypted/);
  });
});
