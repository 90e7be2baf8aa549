import { RecordingNotice } from '../recording/RecordingNotice.tsx';
import { useAppStore } from '../store/appStore.ts';

/** Waiting for a host to admit us; `meeting:admission` moves on to the call or back home. */
export function Lobby({ meetingId }: { readonly meetingId: string }) {
  const navigate = useAppStore((s) => s.navigate);
  // The pre-join screen keeps the name it joined with as the display-name setting.
  const name = useAppStore((s) => s.settings.displayName);
  return (
    <main className="lobby call-center" aria-labelledby="lobby-title">
      <span className="spinner" aria-hidden="true" />
      <h1 id="lobby-title">Waiting to be let in</h1>
      <p role="status">
        {name === null ? 'The host has been told you are here.' : `The host has been told you are here as ${name}.`}
      </p>
      <RecordingNotice lookup={{ meetingId }} />
      <button type="button" className="button" onClick={() => navigate({ name: 'home' })}>
        Leave the lobby
      </button>
    </main>
  );
}
