import { describe, expect, it } from 'vitest';
import { chooseLayout, gridSize, type TileInfo } from './layout.ts';

const tile = (key: string, over: Partial<TileInfo> = {}): TileInfo => ({
  key,
  isLocal: false,
  isScreenShare: false,
  lastSpokeAt: 0,
  ...over,
});
const wide = { width: 1600, height: 900 };

describe('chooseLayout', () => {
  it('shows a grid when nobody is pinned or sharing', () => {
    const layout = chooseLayout([tile('me', { isLocal: true }), tile('bob')], 'grid', undefined, wide);
    expect(layout).toEqual({ kind: 'grid', tiles: ['me', 'bob'], columns: 2, rows: 1, tileWidth: 800 });
  });

  it('focuses a pinned tile over a screen share', () => {
    const tiles = [tile('me', { isLocal: true }), tile('bob'), tile('bob:screen', { isScreenShare: true })];
    const layout = chooseLayout(tiles, 'grid', 'bob', wide);
    expect(layout).toMatchObject({ kind: 'focus', main: 'bob', reason: 'pinned' });
  });

  it('ignores a pin on a tile that has left', () => {
    const layout = chooseLayout([tile('me', { isLocal: true }), tile('bob')], 'grid', 'carol', wide);
    expect(layout.kind).toBe('grid');
  });

  it("prefers someone else's screen share to my own", () => {
    const tiles = [
      tile('me:screen', { isLocal: true, isScreenShare: true }),
      tile('bob:screen', { isScreenShare: true }),
    ];
    expect(chooseLayout(tiles, 'grid', undefined, wide)).toMatchObject({ main: 'bob:screen', reason: 'screenShare' });
  });

  it('focuses the most recent remote speaker in speaker mode, keeping the rest in the strip', () => {
    const tiles = [
      tile('me', { isLocal: true, lastSpokeAt: 99 }),
      tile('bob', { lastSpokeAt: 5 }),
      tile('eve', { lastSpokeAt: 9 }),
    ];
    expect(chooseLayout(tiles, 'speaker', undefined, wide)).toEqual({
      kind: 'focus',
      main: 'eve',
      strip: ['me', 'bob'],
      reason: 'speaker',
    });
  });

  it('stays a grid in speaker mode when alone', () => {
    expect(chooseLayout([tile('me', { isLocal: true })], 'speaker', undefined, wide).kind).toBe('grid');
  });
});

describe('gridSize', () => {
  it('puts two tiles side by side in a wide window and stacked in a tall one', () => {
    expect(gridSize(2, 1600, 900)).toMatchObject({ columns: 2, rows: 1 });
    expect(gridSize(2, 500, 900)).toMatchObject({ columns: 1, rows: 2 });
  });

  it('uses a 3 × 3 grid for nine tiles in a 16:9 window', () => {
    expect(gridSize(9, 1600, 900)).toMatchObject({ columns: 3, rows: 3 });
  });

  it('sizes tiles to fill the limiting side', () => {
    expect(gridSize(2, 1600, 900).tileWidth).toBe(800);
    expect(gridSize(1, 1600, 450).tileWidth).toBe(800);
  });
});
