import { useSpeakingParticipants, useTracks, type TrackReferenceOrPlaceholder } from '@livekit/components-react';
import { RoomEvent, Track } from 'livekit-client';
import { useRef } from 'react';
import { useT } from '../i18n/useT.ts';
import { useCallUi } from './callStore.ts';
import { chooseLayout, type TileInfo } from './layout.ts';
import { ParticipantTile } from './ParticipantTile.tsx';
import { StageNotices } from './StageNotices.tsx';
import { tileKey } from './tileKey.ts';
import { useElementSize } from './useElementSize.ts';
import { useIsAudience } from '../webinar/WebinarContext.tsx';
import { useBoard } from '../whiteboard/WhiteboardContext.tsx';
import { WhiteboardStage } from '../whiteboard/WhiteboardStage.tsx';

const SOURCES = [
  { source: Track.Source.Camera, withPlaceholder: true },
  { source: Track.Source.ScreenShare, withPlaceholder: false },
] as const;

const UPDATE_ON = [
  RoomEvent.ParticipantConnected,
  RoomEvent.ParticipantDisconnected,
  RoomEvent.ParticipantNameChanged,
  // A webinar attendee brought on stage, or sent back to the audience.
  RoomEvent.ParticipantAttributesChanged,
  RoomEvent.LocalTrackPublished,
  RoomEvent.LocalTrackUnpublished,
  RoomEvent.TrackPublished,
  RoomEvent.TrackUnpublished,
  RoomEvent.TrackSubscribed,
  RoomEvent.TrackUnsubscribed,
  RoomEvent.TrackMuted,
  RoomEvent.TrackUnmuted,
  RoomEvent.ConnectionStateChanged,
];

/** Space between tiles, in px; matches .stage-grid's gap. */
const GAP = 8;

/**
 * The video area: tiles from the Room's tracks, arranged by `chooseLayout`; with the whiteboard
 * open, the board takes the main place (as a shared screen would) and every tile goes beside it.
 */
export function Stage() {
  const t = useT();
  const isAudience = useIsAudience();
  // A webinar's audience is never on the stage (someone sent back may still be known to the room).
  const trackRefs = useTracks([...SOURCES], { updateOnlyOn: UPDATE_ON }).filter((ref) => !isAudience(ref.participant));
  // Re-render on speaker changes so speaker mode follows whoever talks.
  useSpeakingParticipants();
  const mode = useCallUi((s) => s.layout);
  const pinned = useCallUi((s) => s.pinned);
  const ref = useRef<HTMLDivElement>(null);
  const viewport = useElementSize(ref);
  const boardOpen = useCallUi((s) => s.boardOpen);
  const board = useBoard();

  const byKey = new Map<string, TrackReferenceOrPlaceholder>(
    trackRefs.map((t) => [tileKey(t.participant.identity, t.source), t]),
  );
  const tiles: TileInfo[] = trackRefs.map((t) => ({
    key: tileKey(t.participant.identity, t.source),
    isLocal: t.participant.isLocal,
    isScreenShare: t.source === Track.Source.ScreenShare,
    lastSpokeAt: t.participant.lastSpokeAt?.getTime() ?? 0,
  }));
  // n tiles and n - 1 gaps fill a side exactly when each tile takes (side + gap) / n, gap included.
  const layout = chooseLayout(tiles, mode, pinned, { width: viewport.width + GAP, height: viewport.height + GAP });
  const tileFor = (key: string, size: 'main' | 'grid' | 'strip') => {
    const trackRef = byKey.get(key);
    return trackRef === undefined ? null : <ParticipantTile key={key} trackRef={trackRef} size={size} />;
  };
  // Tiles keep 16:9 and the grid is centred, so video is neither stretched nor cropped away.
  const gridStyle =
    layout.kind === 'grid'
      ? {
          gridTemplateColumns: `repeat(${layout.columns}, ${Math.floor(layout.tileWidth - GAP)}px)`,
          gridTemplateRows: `repeat(${layout.rows}, ${Math.floor((layout.tileWidth * 9) / 16 - GAP)}px)`,
        }
      : undefined;

  const strip = (keys: readonly string[]) =>
    keys.length > 0 ? (
      <div className="stage-strip" role="list" aria-label={t('call.stage.others')}>
        {keys.map((key) => (
          <div role="listitem" key={key}>
            {tileFor(key, 'strip')}
          </div>
        ))}
      </div>
    ) : null;
  const showBoard = boardOpen && board.drawing !== null;

  return (
    <section className="stage" ref={ref} aria-label={t('call.stage')} data-layout={showBoard ? 'board' : layout.kind}>
      <StageNotices />
      {showBoard ? (
        <div className="stage-focus">
          <div className="stage-main">
            <WhiteboardStage />
          </div>
          {strip(tiles.map((tile) => tile.key))}
        </div>
      ) : layout.kind === 'grid' ? (
        <div className="stage-grid" style={gridStyle}>
          {layout.tiles.map((key) => tileFor(key, 'grid'))}
        </div>
      ) : (
        <div className="stage-focus">
          <div className="stage-main">{tileFor(layout.main, 'main')}</div>
          {strip(layout.strip)}
        </div>
      )}
    </section>
  );
}
