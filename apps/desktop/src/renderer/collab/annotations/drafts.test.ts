import { describe, expect, it } from 'vitest';
import { draftElement, extendDraft, isDrawingTool, movedCursor, startDraft } from './drafts.ts';

describe('drafts', () => {
  it('a freehand line collects every point; a shape keeps its start and moves its far corner', () => {
    const line = extendDraft(extendDraft(startDraft('pen', [0.1, 0.1]), [0.2, 0.1]), [0.2, 0.3]);
    expect(draftElement(line, '#f00')).toMatchObject({
      kind: 'pen',
      points: [
        [0.1, 0.1],
        [0.2, 0.1],
        [0.2, 0.3],
      ],
    });
    const box = extendDraft(extendDraft(startDraft('rectangle', [0.1, 0.1]), [0.3, 0.3]), [0.4, 0.2]);
    expect(draftElement(box, '#f00')).toMatchObject({ kind: 'rectangle', from: [0.1, 0.1], to: [0.4, 0.2] });
  });

  it('knows which tools draw from a press to a release', () => {
    expect(['pen', 'highlighter', 'arrow', 'rectangle', 'ellipse'].every((t) => isDrawingTool(t as never))).toBe(true);
    expect(isDrawingTool('text')).toBe(false);
    expect(isDrawingTool('sticky')).toBe(false);
    expect(isDrawingTool('eraser')).toBe(false);
  });
});

describe('movedCursor', () => {
  it('moves one small step per arrow key, a large one with Shift', () => {
    expect(movedCursor([0.5, 0.5], 'ArrowRight', false)).toEqual([0.51, 0.5]);
    expect(movedCursor([0.5, 0.5], 'ArrowUp', false)).toEqual([0.5, 0.49]);
    expect(movedCursor([0.5, 0.5], 'ArrowLeft', true)).toEqual([0.45, 0.5]);
    expect(movedCursor([0.5, 0.5], 'ArrowDown', true)).toEqual([0.5, 0.55]);
  });

  it('stays inside the frame', () => {
    expect(movedCursor([0.99, 0.02], 'ArrowRight', true)).toEqual([1, 0.02]);
    expect(movedCursor([0.99, 0.02], 'ArrowUp', true)).toEqual([0.99, 0]);
  });

  it('ignores other keys', () => {
    expect(movedCursor([0.5, 0.5], 'Enter', false)).toBeNull();
    expect(movedCursor([0.5, 0.5], 'a', false)).toBeNull();
  });
});
