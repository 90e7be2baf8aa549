import { annotations, SaveWhiteboardRequestSchema } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { canDraw, isModerator } from '../collab/annotations/model.ts';
import { boardState, saveBatches, withSaved } from './boardModel.ts';

const EMPTY: annotations.Scene = new Map();
const stroke = (id: string, points: number) =>
  annotations.createElement(
    EMPTY,
    {
      kind: 'pen',
      color: '#4cc9f0',
      strokeWidth: 0.004,
      points: Array.from({ length: points }, (_, i) => annotations.quantize([i / points, 0.5])),
    },
    id,
    { authorId: 'ada' },
  );

describe('boardState', () => {
  it('lets everyone draw with the pen from the start, and hosts moderate', () => {
    expect(canDraw(boardState('grace', false))).toBe(true);
    expect(boardState('grace', false).tool).toBe('pen');
    expect(isModerator(boardState('grace', false))).toBe(false);
    expect(isModerator(boardState('ada', true))).toBe(true);
  });
});

describe('withSaved', () => {
  it('merges the saved board with what arrived live, whichever is newer winning', () => {
    const live = stroke('a', 3);
    const newer = { ...live, version: 2 };
    const state = { ...boardState('grace', false), scene: annotations.reconcile(EMPTY, [newer]) };
    const merged = withSaved(state, [live, stroke('b', 2)]);
    expect(merged.scene.get('a')).toEqual(newer);
    expect([...merged.scene.keys()].sort()).toEqual(['a', 'b']);
  });
});

describe('saveBatches', () => {
  it('keeps order and cuts by count, never a record', () => {
    const records = ['a', 'b', 'c', 'd', 'e'].map((id) => stroke(id, 2));
    expect(saveBatches(records, { records: 2, bytes: 100_000 }).map((b) => b.map((r) => r.id))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ]);
  });

  it('cuts by bytes', () => {
    const [x, y, z] = [stroke('x', 400), stroke('y', 400), stroke('z', 10)];
    // Room for one long stroke and the short one, not for two long ones.
    const budget = JSON.stringify([x, z]).length + 4;
    expect(saveBatches([x, y, z], { records: 200, bytes: budget }).map((b) => b.map((r) => r.id))).toEqual([
      ['x'],
      ['y', 'z'],
    ]);
  });

  it('makes every batch a save the server accepts', () => {
    const records = Array.from({ length: 450 }, (_, i) => stroke(`s${i}`, 60));
    const batches = saveBatches(records);
    expect(batches.flat()).toEqual(records);
    for (const elements of batches) expect(SaveWhiteboardRequestSchema.safeParse({ elements }).success).toBe(true);
  });
});
