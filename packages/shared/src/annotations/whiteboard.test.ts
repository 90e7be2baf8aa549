import { describe, expect, it } from 'vitest';
import { SaveWhiteboardRequestSchema } from '../api/whiteboard.ts';
import { createElement, erase, type ElementDraft } from './edit.ts';
import { AnnotationElementSchema, quantize, type AnnotationElement } from './element.ts';
import { admitRemote } from './permission.ts';
import { reconcile, type Scene } from './reconcile.ts';
import { BOARD_POLICY, splitStroke, WHITEBOARD_LIMITS, winners } from './whiteboard.ts';

const EMPTY: Scene = new Map();
const sticky: ElementDraft = {
  kind: 'sticky',
  color: '#ffb020',
  strokeWidth: 0.004,
  at: [0.2, 0.2],
  text: 'Ship it\non Friday',
  fontSize: 0.03,
  side: 0.2,
};
const line = (n: number): ElementDraft => ({
  kind: 'pen',
  color: '#3366ff',
  strokeWidth: 0.004,
  // Four decimals each, as drawn points are stored, and as long as they get.
  points: Array.from({ length: n }, (_, i) => quantize([0.1111 + i / (n * 10), 0.5678 - i / (n * 10)])),
});

describe('sticky notes', () => {
  it('are element records like any other, validated by the one schema', () => {
    const note = createElement(EMPTY, sticky, 's1', { authorId: 'ada', random: () => 0.5 });
    expect(AnnotationElementSchema.parse(note)).toEqual(note);
    expect(AnnotationElementSchema.safeParse({ ...note, text: '' }).success).toBe(false);
    expect(AnnotationElementSchema.safeParse({ ...note, side: 2 }).success).toBe(false);
  });
});

describe('splitStroke', () => {
  it('leaves short strokes and other kinds alone', () => {
    expect(splitStroke(line(10), 10)).toEqual([line(10)]);
    expect(splitStroke(sticky, 2)).toEqual([sticky]);
  });

  it('cuts a long stroke into joined strokes of at most the limit, covering every point', () => {
    const long = line(25);
    const parts = splitStroke(long, 10);
    const points = parts.map((p) => (p.kind === 'pen' ? p.points : []));
    expect(points.map((p) => p.length)).toEqual([10, 10, 7]);
    // Each part starts where the previous ended, so the line is unbroken.
    expect(points[1]?.[0]).toEqual(points[0]?.[9]);
    expect(points[2]?.[0]).toEqual(points[1]?.[9]);
    expect(points[2]?.at(-1)).toEqual(long.kind === 'pen' ? long.points.at(-1) : undefined);
  });
});

describe('winners', () => {
  const a = createElement(EMPTY, line(3), 'a', { authorId: 'ada', random: () => 0.1 });
  const scene = reconcile(EMPTY, [a]);

  it('keeps only records that change the scene, the last winner per id', () => {
    const [tomb] = erase(scene, ['a'], () => 0.2);
    const b = createElement(scene, sticky, 'b', { authorId: 'ada', random: () => 0.3 });
    if (tomb === undefined) throw new Error('no tombstone');
    expect(winners(scene, [a, tomb, b, b])).toEqual([tomb, b]);
    expect(winners(reconcile(scene, [tomb]), [a])).toEqual([]);
  });

  it('ends where reconcile ends, whatever the order', () => {
    const records: AnnotationElement[] = [
      a,
      { ...a, version: 2, versionNonce: 9 },
      { ...a, version: 2, versionNonce: 4 },
      { ...a, version: 1, versionNonce: 1 },
    ];
    const merged = reconcile(EMPTY, records);
    for (const order of [records, [...records].reverse()])
      expect(reconcile(EMPTY, winners(EMPTY, order))).toEqual(merged);
  });
});

describe('the board policy', () => {
  const mine = createElement(EMPTY, line(2), 'm', { authorId: 'grace' });
  const scene = reconcile(EMPTY, [mine]);

  it('lets everyone draw their own, hosts erase anyone’s, and trusts no snapshot', () => {
    expect(admitRemote(EMPTY, [mine], { id: 'grace', isHost: false }, BOARD_POLICY)).toEqual([mine]);
    expect(admitRemote(EMPTY, [mine], { id: 'ada', isHost: false }, BOARD_POLICY, { snapshot: true })).toEqual([]);
    const tomb = erase(scene, ['m']);
    expect(admitRemote(scene, tomb, { id: 'ada', isHost: false }, BOARD_POLICY)).toEqual([]);
    expect(admitRemote(scene, tomb, { id: 'ada', isHost: true }, BOARD_POLICY)).toEqual(tomb);
  });
});

describe('SaveWhiteboardRequestSchema', () => {
  const el = (id: string, n = 2) => createElement(EMPTY, line(n), id, { authorId: 'ada' });

  it('takes one to the limit of records, within the byte budget', () => {
    expect(SaveWhiteboardRequestSchema.safeParse({ elements: [el('a')] }).success).toBe(true);
    expect(SaveWhiteboardRequestSchema.safeParse({ elements: [] }).success).toBe(false);
    const many = Array.from({ length: WHITEBOARD_LIMITS.recordsPerSave + 1 }, (_, i) => el(`e${i}`));
    expect(SaveWhiteboardRequestSchema.safeParse({ elements: many }).success).toBe(false);
    const heavy = Array.from({ length: 3 }, (_, i) => el(`h${i}`, WHITEBOARD_LIMITS.pointsPerStroke));
    expect(SaveWhiteboardRequestSchema.safeParse({ elements: heavy }).success).toBe(false);
    // One stroke of the longest kind the board draws fits one save.
    expect(SaveWhiteboardRequestSchema.safeParse({ elements: [heavy[0]] }).success).toBe(true);
  });
});
