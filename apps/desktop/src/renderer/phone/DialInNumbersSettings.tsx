import { DialInNumbersSchema, type DialInNumber } from '@tandem/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { useT } from '../i18n/useT.ts';
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
  const t = useT();
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
      setProblem(t('phone.numbers.invalid'));
      return;
    }
    setProblem(undefined);
    const answer = await client.phoneSetNumbers({ params: {}, body: parsed.data });
    setRows(answer.numbers.map((n) => row(n)));
    setSaved(t('phone.numbers.saved'));
  });
  const change = (key: string, patch: Partial<Row>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <section className="card dial-in-numbers-form" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('phone.numbers.title')}</h2>
      <p className="hint">{t('phone.numbers.hint')}</p>
      <LoadState loaded={loaded} what={t('phone.numbers.what')} onRetry={() => void reload()} />
      {loaded.status !== 'ready' ? null : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {rows.length === 0 ? <p>{t('phone.numbers.none')}</p> : null}
          {rows.map((r, i) => (
            <div className="row" key={r.key}>
              <div className="field">
                <label htmlFor={`dial-in-number-${r.key}`}>{t('phone.numbers.number', { n: i + 1 })}</label>
                <input
                  id={`dial-in-number-${r.key}`}
                  type="tel"
                  value={r.number}
                  placeholder={t('phone.numbers.numberExample')}
                  onChange={(e) => change(r.key, { number: e.target.value })}
                />
              </div>
              <div className="field">
                <label htmlFor={`dial-in-label-${r.key}`}>{t('phone.numbers.label')}</label>
                <input
                  id={`dial-in-label-${r.key}`}
                  value={r.label}
                  maxLength={60}
                  placeholder={t('phone.numbers.labelExample')}
                  onChange={(e) => change(r.key, { label: e.target.value })}
                />
              </div>
              <button
                type="button"
                className="button"
                aria-label={t('phone.numbers.removeLabel', { n: i + 1 })}
                onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
              >
                {t('phone.numbers.remove')}
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
              {t('phone.numbers.add')}
            </button>
            <button type="submit" className="button button-primary" disabled={saving.busy}>
              {saving.busy ? t('phone.numbers.saving') : t('phone.numbers.save')}
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
