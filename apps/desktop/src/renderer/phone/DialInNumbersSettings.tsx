import { DialInNumbersSchema, type DialInNumber } from '@tandem/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import './phone.css';

type Row = { readonly key: string; readonly number: string; readonly label: string };

const row = (n: Partial<DialInNumber> = {}): Row => ({
  key: crypto.randomUUID(),
  number: n.number ?? '',
  label: n.label ?? '',
});

/**
 * Settings → Phone (owners and admins): the numbers people call to join the organisation's
 * meetings, each with what it is (a country, toll-free). Invitations show them with each
 * meeting's PIN.
 */
export function DialInNumbersSettings() {
  const client = useClient();
  const load = useCallback(() => client.phoneNumbers({ params: {}, body: {} }), [client]);
  const [loaded, reload] = useLoad(load);
  const [rows, setRows] = useState<readonly Row[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [saved, setSaved] = useState('');
  const titleId = useId();
  useEffect(() => {
    if (loaded.status === 'ready') setRows(loaded.value.numbers.map((n) => row(n)));
  }, [loaded]);
  const [save, saving] = useAsyncAction(async () => {
    setSaved('');
    const parsed = DialInNumbersSchema.safeParse({
      numbers: rows
        .filter((r) => r.number.trim() !== '')
        .map((r) => ({ number: r.number.replace(/[\s().-]/g, ''), label: r.label })),
    });
    if (!parsed.success) {
      setProblem('Each number needs its country code: + then 8 to 15 digits (for example +44 20 7123 0001).');
      return;
    }
    setProblem(undefined);
    const answer = await client.phoneSetNumbers({ params: {}, body: parsed.data });
    setRows(answer.numbers.map((n) => row(n)));
    setSaved('Dial-in numbers saved.');
  });
  const change = (key: string, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <section className="card dial-in-numbers-form" aria-labelledby={titleId}>
      <h2 id={titleId}>Dial-in numbers</h2>
      <p className="hint">
        The numbers your SIP trunk provider routes to this server. Invitations list them with each meeting’s PIN.
      </p>
      <LoadState loaded={loaded} what="the dial-in numbers" onRetry={() => void reload()} />
      {loaded.status !== 'ready' ? null : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {rows.length === 0 ? <p>No numbers yet: nobody can call in.</p> : null}
          {rows.map((r, i) => (
            <div className="row" key={r.key}>
              <div className="field">
                <label htmlFor={`dial-in-number-${r.key}`}>Number {i + 1}</label>
                <input
                  id={`dial-in-number-${r.key}`}
                  type="tel"
                  value={r.number}
                  placeholder="+44 20 7123 0001"
                  onChange={(e) => change(r.key, { number: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`dial-in-label-${r.key}`}>Shown as</label>
                <input
                  id={`dial-in-label-${r.key}`}
                  value={r.label}
                  maxLength={60}
                  placeholder="United Kingdom"
                  onChange={(e) => change(r.key, { label: e.target.value })}
                />
              </div>
              <button
                type="button"
                className="button"
                aria-label={`Remove number ${i + 1}`}
                onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
              >
                Remove
              </button>
            </div>
          ))}
          {problem === undefined && saving.error === undefined ? null : (
            <p className="error" role="alert">
              {problem ?? saving.error}
            </p>
          )}
          <div className="row form-actions">
            <button type="button" className="button" onClick={() => setRows((rs) => [...rs, row()])}>
              Add a number
            </button>
            <button type="submit" className="button button-primary" disabled={saving.busy}>
              {saving.busy ? 'Saving…' : 'Save'}
            </button>
            <span role="status" className="hint">
              {saved}
            </span>
          </div>
        </form>
      )}
    </section>
  );
}
