import { useT } from '../i18n/useT.ts';
import { RecordingNotice } from '../recording/RecordingNotice.tsx';
import { useAppStore } from '../store/appStore.ts';
import { useMeetingType } from '../webinar/useMeetingType.ts';

/**
 * Waiting for a host to admit us, or for a webinar to go live (its attendees are let in then);
 * `meeting:admission` moves on to the call or back home.
 */
export function Lobby({ meetingId }: { readonly meetingId: string }) {
  const navigate = useAppStore((s) => s.navigate);
  // The pre-join screen keeps the name it joined with as the display-name setting.
  const name = useAppStore((s) => s.settings.displayName);
  const webinar = useMeetingType(meetingId) === 'webinar';
  const t = useT();
  return (
    <main className="lobby call-center" aria-labelledby="lobby-title">
      <span className="spinner" aria-hidden="true" />
      <h1 id="lobby-title">{webinar ? t('meetings.lobby.webinarTitle') : t('meetings.lobby.title')}</h1>
      <p role="status">
        {webinar
          ? t('meetings.lobby.webinar')
          : name === null
            ? t('meetings.lobby.told')
            : t('meetings.lobby.toldAs', { name })}
      </p>
      <RecordingNotice lookup={{ meetingId }} />
      <button type="button" className="button" onClick={() => navigate({ name: 'home' })}>
        {t('meetings.lobby.leave')}
      </button>
    </main>
  );
}
