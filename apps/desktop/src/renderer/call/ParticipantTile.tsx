import {
  isTrackReference,
  useConnectionQualityIndicator,
  useIsMuted,
  useIsSpeaking,
  VideoTrack,
} from '@livekit/components-react';
import type { TrackReferenceOrPlaceholder } from '@livekit/components-react';
import { ConnectionQuality, Track } from 'livekit-client';
import { AnnotationLayer } from '../collab/annotations/AnnotationLayer.tsx';
import { TileHand } from '../collab/HandButton.tsx';
import { TileReactions } from '../collab/Reactions.tsx';
import { useT } from '../i18n/useT.ts';
import { initialsOf } from '../ui/format.ts';
import { Icon } from '../ui/Icon.tsx';
import { useCallUi } from './callStore.ts';
import { tileKey } from './tileKey.ts';

const QUALITY_LABEL: Readonly<Record<ConnectionQuality, string>> = {
  [ConnectionQuality.Excellent]: 'excellent',
  [ConnectionQuality.Good]: 'good',
  [ConnectionQuality.Poor]: 'poor',
  [ConnectionQuality.Lost]: 'lost',
  [ConnectionQuality.Unknown]: 'unknown',
};

export function ParticipantTile({
  trackRef,
  size,
}: {
  readonly trackRef: TrackReferenceOrPlaceholder;
  readonly size: 'main' | 'grid' | 'strip';
}) {
  const t = useT();
  const { participant, source } = trackRef;
  const key = tileKey(participant.identity, source);
  const pinned = useCallUi((s) => s.pinned === key);
  const togglePin = useCallUi((s) => s.togglePin);
  const speaking = useIsSpeaking(participant);
  const micMuted = useIsMuted({ participant, source: Track.Source.Microphone });
  const { quality } = useConnectionQualityIndicator({ participant });
  const isScreen = source === Track.Source.ScreenShare;
  const name = participant.name || participant.identity;
  const label = isScreen ? t('call.screenOf', { name }) : participant.isLocal ? t('call.you', { name }) : name;
  const hasVideo = isTrackReference(trackRef) && !trackRef.publication.isMuted;
  /** Why a tile shows no video (no track published, or muted): said on the tile for whoever inspects it. */
  const video = hasVideo ? 'shown' : isTrackReference(trackRef) ? 'muted' : 'none';

  return (
    <figure
      className="tile"
      data-size={size}
      data-speaking={speaking && !isScreen}
      data-screen={isScreen}
      data-video={video}
      aria-label={label}
    >
      {hasVideo ? (
        <VideoTrack
          trackRef={trackRef}
          className="tile-video"
          data-identity={participant.identity}
          data-source={source}
          data-local={participant.isLocal}
        />
      ) : (
        <div className="tile-avatar" aria-hidden="true">
          <span>{initialsOf(name)}</span>
        </div>
      )}
      {hasVideo && isScreen ? <AnnotationLayer sharerId={participant.identity} /> : null}
      {isScreen ? null : <TileReactions identity={participant.identity} />}
      <figcaption className="tile-caption">
        {!isScreen && micMuted ? (
          <span className="tile-muted" role="img" aria-label={t('call.micOff')}>
            <Icon name="micOff" size={14} />
          </span>
        ) : null}
        <span className="tile-name">{label}</span>
        {isScreen ? null : <TileHand userId={participant.attributes['userId']} />}
        {!isScreen ? (
          <span
            className="quality"
            data-quality={QUALITY_LABEL[quality]}
            role="img"
            aria-label={t('call.quality', { quality: QUALITY_LABEL[quality] })}
          >
            <i />
            <i />
            <i />
          </span>
        ) : null}
      </figcaption>
      <button
        type="button"
        className="tile-pin icon-button"
        aria-pressed={pinned}
        aria-label={t(pinned ? 'call.unpin.named' : 'call.pin.named', { name: label })}
        title={t(pinned ? 'call.unpin' : 'call.pin')}
        onClick={() => togglePin(key)}
      >
        <Icon name="pin" size={16} />
      </button>
    </figure>
  );
}
