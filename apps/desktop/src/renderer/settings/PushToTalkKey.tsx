import { pushToTalkKeyProblem, type PushToTalkKeyProblem } from '@tandem/shared';
import { useId, useState, type KeyboardEvent } from 'react';
import { useT } from '../i18n/useT.ts';
import './settings.css';

/** How a refused key is named: what it types ("A"), else its name as the browser gives it ("Tab"). */
const pressedName = (e: KeyboardEvent) => (e.key.length === 1 ? e.key.toUpperCase() : e.key);

/**
 * Settings → the push-to-talk key: Change key, then press the key. Escape cancels; a key that
 * types, moves the focus or the app answers itself is refused, saying why (`pushToTalkKeyProblem`),
 * and the control keeps listening for another.
 */
export function PushToTalkKey({
  value,
  disabled,
  onSave,
}: {
  readonly value: string;
  readonly disabled: boolean;
  readonly onSave: (code: string) => void;
}) {
  const t = useT();
  const id = useId();
  const [capturing, setCapturing] = useState(false);
  const [refused, setRefused] = useState<{ readonly key: string; readonly reason: PushToTalkKeyProblem } | null>(null);
  const stop = () => setCapturing(false);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (!capturing) return;
    // The key is the answer: it must not also press the button, move the focus or reach the page.
    e.preventDefault();
    e.stopPropagation();
    if (e.code === 'Escape') {
      stop();
      return;
    }
    const reason = pushToTalkKeyProblem(e.code);
    if (reason !== null) {
      setRefused({ key: pressedName(e), reason });
      return;
    }
    setRefused(null);
    stop();
    if (e.code !== value) onSave(e.code);
  };
  return (
    <div className="ptt-key">
      <span id={`${id}-label`}>{t('settings.pushToTalk.key')}</span>
      <kbd id={`${id}-value`}>{t('settings.pushToTalk.keyName', { key: value })}</kbd>
      <button
        type="button"
        className="button"
        disabled={disabled}
        aria-describedby={`${id}-label ${id}-value`}
        onClick={() => {
          setRefused(null);
          setCapturing(true);
        }}
        onKeyDown={onKeyDown}
        // A captured Space or Enter lets go here: not a click that starts listening again.
        onKeyUp={(e) => e.preventDefault()}
        onBlur={stop}
      >
        {capturing ? t('settings.pushToTalk.capture') : t('settings.pushToTalk.change')}
      </button>
      {refused === null ? null : (
        <p className="error ptt-key-refused" role="alert">
          {t('settings.pushToTalk.refused', refused)}
        </p>
      )}
    </div>
  );
}
