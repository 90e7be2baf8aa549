import type { Meeting } from '@tandem/shared';
import { useEffect } from 'react';
import { useClient } from '../ClientContext.ts';
import { useT } from '../i18n/useT.ts';
import { previewWithDevices } from '../media/lazyPreview.tsx';
import { usePreviewMedia } from '../media/PreviewMediaContext.ts';
import { RecordingNotice } from '../recording/RecordingNotice.tsx';
import { useAppStore } from '../store/appStore.ts';

const PreviewWithDevices = previewWithDevices.Component;

/**
 * Waiting for a host to admit us, or for a webinar to go live (its attendees are let in then);
 * `meeting:admission` moves on to the call or back home; leaving tells the server, so hosts
 * stop seeing us and a late admission starts no call. One's own camera and microphone stay on
 * show meanwhile, as the call will take them over.
 */
export function Lobby({ meeting }: { readonly meeting: Meeting }) {
  const meetingId = meeting.id;
  const navigate = useAppStore((s) => s.navigate);
  // The pre-join screen keeps the name it joined with as the display-name setting.
  const name = useAppStore((s) => s.settings.displayName);
  const webinar = meeting.type === 'webinar';
  // A webinar's attendee is neither seen nor heard: no camera or microphone waits with them.
  const media = usePreviewMedia();
  useEffect(() => {
    if (webinar) media.release();
  }, [webinar, media]);
  const t = useT();
  const client = useClient();
  // Home at once; the server is told so hosts stop seeing us (offline, the wait is dropped here anyway).
  const leave = () => {
    navigate({ name: 'home' });
    void client.meetingsLeaveLobby({ meetingId }).catch(() => undefined);
  };
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
      <RecordingNotice lookup={{ meeting }} />
      {webinar ? null : <PreviewWithDevices />}
      <button type="button" className="button" onClick={leave}>
        {t('meetings.lobby.leave')}
      </button>
    </main>
  );
}
