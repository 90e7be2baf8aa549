import type { Loaded } from './useLoad.ts';

/**
 * What a read shows until it is ready: "Loading people…", or why it failed with Try again.
 * `what` names it in the middle of a sentence ("people", "the audit log").
 */
export function LoadState({
  loaded,
  what,
  onRetry,
}: {
  readonly loaded: Loaded<unknown>;
  readonly what: string;
  readonly onRetry: () => void;
}) {
  if (loaded.status === 'loading') return <p role="status">Loading {what}…</p>;
  if (loaded.status === 'ready') return null;
  return (
    <div className="row">
      <p className="error" role="alert">
        {what.charAt(0).toUpperCase() + what.slice(1)} could not be loaded: {loaded.message}
      </p>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
