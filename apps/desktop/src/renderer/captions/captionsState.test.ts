import type { PartialCaption, TranscriptSegment } from '@tandem/shared';
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
    for (const n of [2, 1, 3, 4, 4]) state = addCaption(state, { type: 'caption', segment: segment(n) });
    expect(state.lines.map((l) => l.text)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(state.lines).toHaveLength(CAPTION_LINES);
  });

  it('shows an utterance in progress, replaced by its later words and ended by its caption', () => {
    const partial = (utterance: string, n: number, text: string): PartialCaption => ({
      type: 'partial',
      utterance,
      meetingId: segment(n).meetingId,
      speaker: segment(n).speaker,
      startedAt: segment(n).startedAt,
      text,
    });
    let state = addCaption(initialCaptionsState, partial('s@1', 1, 'the bud'));
    state = addCaption(state, partial('s@2', 2, 'hello'));
    state = addCaption(state, partial('s@1', 1, 'the budget is'));
    expect(state.interim.map((p) => p.text)).toEqual(['the budget is', 'hello']);
    state = addCaption(state, { type: 'caption', segment: segment(1), utterance: 's@1' });
    expect(state.lines.map((l) => l.text)).toEqual(['line 1']);
    expect(state.interim.map((p) => p.utterance)).toEqual(['s@2']);
    // A partial that arrives after its utterance's caption is stale.
    state = addCaption(state, partial('s@1', 1, 'the budget'));
    expect(state.interim.map((p) => p.utterance)).toEqual(['s@2']);
    // A caption from a server without interim captions leaves the ones under way alone.
    state = addCaption(state, { type: 'caption', segment: segment(3) });
    expect(state.interim.map((p) => p.utterance)).toEqual(['s@2']);
  });

  it('says why captions are missing, and nothing when they work', () => {
    expect(unavailableText(null)).toBeUndefined();
    expect(unavailableText('model')).toMatch(/speech model is not installed/);
    expect(unavailableText('e2ee')).toMatch(/end-to-end encrypted/);
  });
});
