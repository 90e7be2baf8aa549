import { useConnectionQualityIndicator, useLocalParticipant, useRemoteParticipants } from '@livekit/components-react';
import { ConnectionQuality } from 'livekit-client';
import { useT } from '../i18n/useT.ts';

/**
 * What the stage says over the video: that nobody else is here yet, and that our own connection
 * is poor (LiveKit lowers the video it sends and receives; people should know why it looks worse).
 */
export function StageNotices() {
  const alone = useRemoteParticipants().length === 0;
  const { localParticipant } = useLocalParticipant();
  const { quality } = useConnectionQualityIndicator({ participant: localParticipant });
  const t = useT();
  const poor = quality === ConnectionQuality.Poor || quality === ConnectionQuality.Lost;
  return (
    <div className="stage-notices" role="status" aria-live="polite">
      {alone ? <p className="stage-notice">{t('call.stage.alone')}</p> : null}
      {poor ? (
        <p className="stage-notice" data-tone="warning">
          {t('call.stage.poor')}
        </p>
      ) : null}
    </div>
  );
}
