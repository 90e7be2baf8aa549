import { describe, expect, it } from 'vitest';
import { fitControls, MORE, sameFit, type FitControl } from './controlFit.ts';

// Bar order; mute and leave never leave the bar, chat only as a last resort.
const controls: FitControl[] = [
  { id: 'mic', rank: null },
  { id: 'chat', rank: 90 },
  { id: 'people', rank: 20 },
  { id: 'polls', rank: 1 },
  { id: 'qna', rank: 2 },
  { id: 'leave', rank: null },
];
const every = (width: number) => new Map([...controls.map((c) => [c.id, width] as const), [MORE, width]]);
const widths = { labelled: every(90), compact: every(40) };
const gap = 10;
// Six controls: 6 × 90 + 5 × 10 labelled, 6 × 40 + 5 × 10 compact.
const labelledRow = 590;
const compactRow = 290;

describe('fitControls', () => {
  it('keeps every label when the whole row fits', () => {
    expect(fitControls({ controls, widths, available: labelledRow, gap })).toEqual({ mode: 'labelled', overflow: [] });
  });

  it('drops labels before moving anything into More', () => {
    expect(fitControls({ controls, widths, available: labelledRow - 1, gap })).toEqual({
      mode: 'compact',
      overflow: [],
    });
    expect(fitControls({ controls, widths, available: compactRow, gap })).toEqual({ mode: 'compact', overflow: [] });
  });

  it('moves the lowest-ranked controls into More, just enough to fit, listed in bar order', () => {
    // One pixel short: a single control leaves, but More takes its place, so two must go.
    expect(fitControls({ controls, widths, available: compactRow - 1, gap })).toEqual({
      mode: 'compact',
      overflow: ['polls', 'qna'],
    });
    // Room for three controls and More.
    expect(fitControls({ controls, widths, available: 4 * 40 + 3 * gap, gap })).toEqual({
      mode: 'compact',
      overflow: ['people', 'polls', 'qna'],
    });
  });

  it('never moves a control without a rank, however narrow', () => {
    const fit = fitControls({ controls, widths, available: 10, gap });
    expect(fit.overflow).toEqual(['chat', 'people', 'polls', 'qna']);
  });

  it('uses measured widths, not a fixed size per control', () => {
    // Polls is 100 px wider than the rest: the row no longer fits, and moving it alone is enough.
    const widePolls = { labelled: widths.labelled, compact: new Map([...widths.compact, ['polls', 140]]) };
    expect(fitControls({ controls, widths: widePolls, available: compactRow + 99, gap }).overflow).toEqual(['polls']);
  });

  it('renders a mode before judging it when its widths are not measured yet', () => {
    const unmeasured = { labelled: widths.labelled, compact: new Map<string, number>() };
    expect(fitControls({ controls, widths: unmeasured, available: 200, gap })).toEqual({
      mode: 'compact',
      overflow: [],
    });
  });
});

describe('sameFit', () => {
  it('compares mode and overflow', () => {
    expect(sameFit({ mode: 'compact', overflow: ['a'] }, { mode: 'compact', overflow: ['a'] })).toBe(true);
    expect(sameFit({ mode: 'compact', overflow: ['a'] }, { mode: 'labelled', overflow: ['a'] })).toBe(false);
    expect(sameFit({ mode: 'compact', overflow: ['a'] }, { mode: 'compact', overflow: ['a', 'b'] })).toBe(false);
  });
});
