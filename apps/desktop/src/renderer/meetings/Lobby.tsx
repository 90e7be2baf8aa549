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
  return (
    <main className="lobby call-center" aria-labelledby="lobby-title">
      <span className="spinner" aria-hidden="true" />
      <h1 id="lobby-title">{webinar ? 'The webinar starts soon' : 'Waiting to be let in'}</h1>
      <p role="status">
        {webinar
          ? 'The panelists are getting ready. You will be let in as soon as the webinar goes live.'
          : name === null
            ? 'The host has been told you are here.'
            : `The host has been told you are here as ${name}.`}
      </p>
      <RecordingNotice lookup={{ meetingId }} />
      <button type="button" className="button" onClick={() => navigate({ name: 'home' })}>
        Leave the lobby
      </button>
    </main>
  );
}
