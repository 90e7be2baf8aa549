import type { ParticipantSuggestion, SuggestionReason } from '@tandem/shared';
import { useEffect, useId, useState } from 'react';
import { useIntl } from 'react-intl';
import { useClient } from '../ClientContext.ts';
import { useT } from '../i18n/useT.ts';
import { errorText } from '../ui/errorText.ts';
import type { Loaded } from '../ui/useLoad.ts';
import './suggestions.css';

/** Asking again on every key press would ask for every prefix of the title: wait for a pause. */
const TYPING_PAUSE_MS = 400;

/** One reason as words: meetings attended on the topic, or open decisions owned about it. */
function useReasonText(): (reason: SuggestionReason) => string {
  const t = useT();
  const intl = useIntl();
  return (reason) => {
    switch (reason.kind) {
      case 'attended':
        return t('suggestions.attended', {
          count: reason.count,
          topic: intl.formatList(reason.topic, { type: 'conjunction' }),
        });
      case 'decisionOwner':
        return t('suggestions.decisionOwner', { count: reason.count, title: reason.decisionTitle });
      default: {
        const unreachable: never = reason;
        throw new Error(`unknown reason ${JSON.stringify(unreachable)}`);
      }
    }
  };
}

/**
 * Who to invite to a meeting about `topic` (its title as typed): people who usually attend
 * meetings on it and owners of related open decisions, each with why, added with one click.
 * People already chosen are not shown again.
 */
export function ParticipantSuggestions({
  topic,
  chosen,
  onAdd,
}: {
  readonly topic: string;
  readonly chosen: readonly string[];
  onAdd(personId: string): void;
}) {
  const t = useT();
  const client = useClient();
  const reasonText = useReasonText();
  const headingId = useId();
  const [loaded, setLoaded] = useState<Loaded<readonly ParticipantSuggestion[]> | null>(null);
  const wanted = topic.trim();
  useEffect(() => {
    if (wanted === '') {
      setLoaded(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setLoaded({ status: 'loading' });
      client.meetingsSuggestParticipants({ params: {}, body: {}, query: { topic: wanted, limit: 8 } }).then(
        (found) => current && setLoaded({ status: 'ready', value: found.suggestions }),
        (error: unknown) => current && setLoaded({ status: 'failed', message: errorText(error, t) }),
      );
    }, TYPING_PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, wanted, t]);

  if (loaded === null) return null;
  const shown = loaded.status === 'ready' ? loaded.value.filter((s) => !chosen.includes(s.user.id)) : [];
  return (
    <div className="suggestions" role="group" aria-labelledby={headingId}>
      <p id={headingId} className="suggestions-title">
        {t('suggestions.title')}
      </p>
      {loaded.status === 'loading' ? (
        <p className="hint" role="status">
          {t('suggestions.loading')}
        </p>
      ) : loaded.status === 'failed' ? (
        <p className="hint">{t('suggestions.failed', { reason: loaded.message })}</p>
      ) : shown.length === 0 ? (
        <p className="hint">{t('suggestions.none')}</p>
      ) : (
        <ul className="suggestions-list">
          {shown.map((s) => (
            <li key={s.user.id}>
              <span className="suggestions-name">{s.user.name}</span>
              <span className="suggestions-why">{s.reasons.map(reasonText).join(' · ')}</span>
              <button
                type="button"
                className="button"
                aria-label={t('suggestions.add.named', { name: s.user.name })}
                onClick={() => onAdd(s.user.id)}
              >
                {t('suggestions.add')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
