export type LayoutMode = 'grid' | 'speaker';

/** What layout needs to know about one tile; the tile's LiveKit objects stay in the call view. */
export type TileInfo = {
  /** Stable across renders: participant identity + track source. */
  readonly key: string;
  readonly isLocal: boolean;
  readonly isScreenShare: boolean;
  /** Milliseconds since epoch the participant last spoke; 0 if never. */
  readonly lastSpokeAt: number;
};

export type Layout =
  | {
      readonly kind: 'grid';
      readonly tiles: readonly string[];
      readonly columns: number;
      readonly rows: number;
      /** Width of one 16:9 tile that lets the grid fit the viewport. */
      readonly tileWidth: number;
    }
  | { readonly kind: 'focus'; readonly main: string; readonly strip: readonly string[]; readonly reason: FocusReason };

export type FocusReason = 'pinned' | 'screenShare' | 'speaker';

/**
 * Picks the layout: a pinned tile wins, then a screen share, then (in speaker mode) the most
 * recent remote speaker. Everything else is a grid. Tile order is kept so tiles do not jump.
 */
export function chooseLayout(
  tiles: readonly TileInfo[],
  mode: LayoutMode,
  pinned: string | undefined,
  viewport: { readonly width: number; readonly height: number },
): Layout {
  const focus = focusOf(tiles, mode, pinned);
  if (focus !== undefined) {
    return {
      kind: 'focus',
      main: focus.key,
      strip: tiles.filter((t) => t.key !== focus.key).map((t) => t.key),
      reason: focus.reason,
    };
  }
  const { columns, rows, tileWidth } = gridSize(tiles.length, viewport.width, viewport.height);
  return { kind: 'grid', tiles: tiles.map((t) => t.key), columns, rows, tileWidth };
}

function focusOf(
  tiles: readonly TileInfo[],
  mode: LayoutMode,
  pinned: string | undefined,
): { key: string; reason: FocusReason } | undefined {
  if (pinned !== undefined && tiles.some((t) => t.key === pinned)) return { key: pinned, reason: 'pinned' };
  const share = tiles.find((t) => t.isScreenShare && !t.isLocal) ?? tiles.find((t) => t.isScreenShare);
  if (share !== undefined) return { key: share.key, reason: 'screenShare' };
  if (mode !== 'speaker' || tiles.length < 2) return undefined;
  const remotes = tiles.filter((t) => !t.isLocal);
  const speaker = remotes.reduce<TileInfo | undefined>(
    (best, t) => (best === undefined || t.lastSpokeAt > best.lastSpokeAt ? t : best),
    undefined,
  );
  return speaker === undefined ? undefined : { key: speaker.key, reason: 'speaker' };
}

const TILE_ASPECT = 16 / 9;

/** The column count that gives the largest 16:9 tiles for `count` tiles in a width × height area. */
export function gridSize(
  count: number,
  width: number,
  height: number,
): { columns: number; rows: number; tileWidth: number } {
  if (count <= 0) return { columns: 1, rows: 1, tileWidth: Math.min(width, height * TILE_ASPECT) };
  // On a tie the wider arrangement wins: side by side reads better than stacked.
  let best = { columns: 1, rows: count, tileWidth: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const tileWidth = Math.min(width / columns, (height / rows) * TILE_ASPECT);
    if (tileWidth >= best.tileWidth) best = { columns, rows, tileWidth };
  }
  return best;
}
