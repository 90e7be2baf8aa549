import { useId, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import './copyField.css';

/**
 * A value to paste somewhere else (an endpoint, a secret, a subscription link): read-only,
 * selected on focus, with a Copy button and a line that says whether it was copied.
 */
export function CopyField({
  label,
  what,
  value,
  hint,
}: {
  readonly label: string;
  /** How the Copy button names it ("the token"). */
  readonly what: string;
  readonly value: string;
  readonly hint?: string;
}) {
  const t = useT();
  const id = useId();
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(t('ui.copy.done'));
    } catch {
      setCopied(t('ui.copy.failed'));
    }
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      {hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div className="row">
        <input
          id={id}
          readOnly
          value={value}
          aria-describedby={hint === undefined ? undefined : `${id}-hint`}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button" aria-label={t('ui.copy.named', { what })} onClick={() => void copy()}>
          {t('ui.copy')}
        </button>
      </div>
      <span role="status" className="hint">
        {copied}
      </span>
    </div>
  );
}
