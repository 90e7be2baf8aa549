import { annotations } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { authorColor } from './authorColor.ts';
import { shapeOf } from './shapes.ts';

const base = { id: 'e', authorId: 'a', version: 1, versionNonce: 1, index: 0, isDeleted: false, color: '#ff5d5d' };
// A 16:9 frame letterboxed in a square box: bars above and below.
const painted = annotations.containedRect({ width: 1600, height: 900 }, { left: 0, top: 0, width: 800, height: 800 });

describe('shapeOf', () => {
  it('maps a rectangle between any two corners into the letterboxed frame', () => {
    const shape = shapeOf({ ...base, kind: 'rectangle', strokeWidth: 0.01, from: [0.75, 1], to: [0.25, 0] }, painted);
    expect(shape).toEqual({ kind: 'rectangle', x: 200, y: 175, w: 400, h: 450, width: 4.5 });
  });

  it('draws a highlighter wider and translucent, a pen opaque', () => {
    const points: annotations.NormalizedPoint[] = [
      [0, 0],
      [1, 1],
    ];
    const pen = shapeOf({ ...base, kind: 'pen', strokeWidth: 0.01, points }, painted);
    const marker = shapeOf({ ...base, kind: 'highlighter', strokeWidth: 0.01, points }, painted);
    if (pen.kind !== 'polyline' || marker.kind !== 'polyline') throw new Error('not a polyline');
    expect(pen.points).toEqual([
      { x: 0, y: 175 },
      { x: 800, y: 625 },
    ]);
    expect(marker.width).toBeGreaterThan(pen.width);
    expect(marker.opacity).toBeLessThan(pen.opacity);
  });

  it('puts both arrow barbs behind the head', () => {
    const shape = shapeOf({ ...base, kind: 'arrow', strokeWidth: 0.005, from: [0, 0.5], to: [1, 0.5] }, painted);
    if (shape.kind !== 'arrow') throw new Error('not an arrow');
    for (const barb of shape.head) expect(barb.x).toBeLessThan(shape.to.x);
    expect(shape.head[0].y).not.toBe(shape.head[1].y);
  });
});

describe('authorColor', () => {
  it('gives one author the same colour everywhere and spreads authors over the palette', () => {
    expect(authorColor('ada')).toBe(authorColor('ada'));
    expect(authorColor('ada')).toMatch(/^#[0-9a-f]{6}$/);
    const colours = new Set(['ada', 'grace', 'linus', 'barbara', 'ken', 'margaret'].map(authorColor));
    expect(colours.size).toBeGreaterThan(2);
  });
});
