import { useRecording } from './RecordingContext.tsx';
import './recording.css';
import { useT } from '../i18n/useT.ts';

/**
 * The call's recording indicator: a red dot and "Recording" while the meeting is recorded, for
 * everyone in the call. Always rendered, as a live region, so screen readers hear it come and go.
 */
export function RecordingIndicator() {
  const t = useT();
  const active = useRecording((s) => s.active);
  return (
    <div className="recording-indicator" role="status" aria-live="polite" data-active={active !== null || undefined}>
      {active === null ? null : (
        <span aria-label={t('recording.indicator.label')}>
          <span className="recording-dot" aria-hidden="true" />
          {t('recording.indicator')}
        </span>
      )}
    </div>
  );
}
