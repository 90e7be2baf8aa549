import { unavailableText } from './captionsState.ts';
import { useCaptions } from './CaptionsContext.tsx';
import './captions.css';
import { useT } from '../i18n/useT.ts';

/**
 * The captions under the stage while this person shows them: the newest lines, each with its
 * speaker's name, then what is being said now (interim captions, in italics, until its caption
 * replaces it). A live region, so screen readers read new captions out. When the meeting has
 * none, it says why instead.
 */
export function CaptionsOverlay() {
  const t = useT();
  const shown = useCaptions((s) => s.shown);
  const lines = useCaptions((s) => s.lines);
  const interim = useCaptions((s) => s.interim);
  const unavailable = useCaptions((s) => s.unavailable);
  if (!shown) return null;
  const why = unavailable === 'loading' ? undefined : unavailableText(unavailable, t);
  return (
    <section className="captions" aria-label={t('captions.show')}>
      <div role="log" aria-live="polite" aria-relevant="additions">
        {why !== undefined ? (
          <p className="captions-note">{why}</p>
        ) : lines.length === 0 && interim.length === 0 ? (
          <p className="captions-note">{t('captions.empty')}</p>
        ) : (
          <>
            {lines.map((line) => (
              <p key={line.id} className="caption-line" data-speaker={line.speaker.userId ?? undefined}>
                <span className="caption-speaker">{line.speaker.name}</span> {line.text}
              </p>
            ))}
            {/* Words still changing: screen readers hear the caption that replaces them, once. */}
            {interim.map((partial) => (
              <p
                key={partial.utterance}
                className="caption-line caption-interim"
                data-speaker={partial.speaker.userId ?? undefined}
                aria-hidden="true"
              >
                <span className="caption-speaker">{partial.speaker.name}</span> {partial.text}
              </p>
            ))}
          </>
        )}
      </div>
    </section>
  );
}
