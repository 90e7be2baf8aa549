import { annotations } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { boardSvg, exportName } from './boardExport.ts';

const EMPTY: annotations.Scene = new Map();
const ctx = { authorId: 'ada', random: () => 0.5 };

describe('boardSvg', () => {
  const note = annotations.createElement(
    EMPTY,
    {
      kind: 'sticky',
      color: '#ffb020',
      strokeWidth: 0.004,
      at: [0.5, 0.25],
      text: 'Ship <it> & "go"\nFriday',
      fontSize: 0.03,
      side: 0.2,
    },
    'n1',
    ctx,
  );
  const box = annotations.createElement(
    annotations.reconcile(EMPTY, [note]),
    { kind: 'rectangle', color: '#4cc9f0', strokeWidth: 0.005, from: [0.1, 0.1], to: [0.3, 0.5] },
    'r1',
    ctx,
  );
  const [erased] = annotations.erase(annotations.reconcile(EMPTY, [box]), ['r1']);
  const svg = boardSvg(annotations.reconcile(EMPTY, [note, box]));

  it('is a standalone SVG document at the board frame size', () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(
      true,
    );
    expect(svg).toContain('width="1600" height="900" viewBox="0 0 1600 900"');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('draws every live element in paint order, geometry in board pixels', () => {
    const ids = [...svg.matchAll(/data-element-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['n1', 'r1']);
    expect(svg).toContain('<rect x="160" y="90" width="320" height="360" stroke-width="4.5" stroke="#4cc9f0"');
    // The sticky note: a square of 0.2 × 900 px at (800, 225), its lines as tspans.
    expect(svg).toContain('<rect x="800" y="225" width="180" height="180"');
    expect(svg).toMatch(
      /<tspan x="814.4" y="239.4">Ship &lt;it&gt; &amp; &quot;go&quot;<\/tspan><tspan x="814.4" y="273.15">Friday<\/tspan>/,
    );
  });

  it('leaves erased elements out', () => {
    if (erased === undefined) throw new Error('no tombstone');
    const after = boardSvg(annotations.reconcile(EMPTY, [note, box, erased]));
    expect([...after.matchAll(/data-element-id="([^"]+)"/g)].map((m) => m[1])).toEqual(['n1']);
  });
});

describe('exportName', () => {
  it('names the file after the meeting, safely', () => {
    expect(exportName('Q3 review: plans/ideas', 'png')).toBe('Q3-review-plans-ideas-whiteboard.png');
    expect(exportName('…', 'svg')).toBe('whiteboard.svg');
    expect(exportName('Überblick 会議', 'svg')).toBe('Uberblick-会議-whiteboard.svg');
  });
});
