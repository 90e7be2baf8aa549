import { useT } from '../i18n/useT.ts';
import type { Loaded } from './useLoad.ts';

/**
 * What a read shows until it is ready: "Loading people…", or why it failed with Try again.
 * `what` names it, translated, in the middle of a sentence ("people", "the audit log").
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
  const t = useT();
  if (loaded.status === 'loading') return <p role="status">{t('ui.load.loading', { what })}</p>;
  if (loaded.status === 'ready') return null;
  return (
    <div className="row">
      <p className="error" role="alert">
        {t('ui.load.failed', { what: what.charAt(0).toLocaleUpperCase() + what.slice(1), reason: loaded.message })}
      </p>
      <button type="button" className="button" onClick={onRetry}>
        {t('ui.load.retry')}
      </button>
    </div>
  );
}
