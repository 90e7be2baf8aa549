import { useAppStore } from '../store/appStore.ts';

/** Waiting for a host to admit us; `meeting:admission` moves on to the call or back home. */
export function Lobby() {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <main className="lobby call-center" aria-labelledby="lobby-title">
      <span className="spinner" aria-hidden="true" />
      <h1 id="lobby-title">Waiting to be let in</h1>
      <p role="status">The host has been told you are here.</p>
      <button type="button" className="button" onClick={() => navigate({ name: 'home' })}>
        Leave the lobby
      </button>
    </main>
  );
}
