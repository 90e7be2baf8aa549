import { useId, useState } from 'react';
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
  const id = useId();
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied.');
    } catch {
      setCopied('Not copied: select it and copy it with Ctrl+C (⌘C on a Mac).');
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
        <button type="button" className="button" aria-label={`Copy ${what}`} onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <span role="status" className="hint">
        {copied}
      </span>
    </div>
  );
}
