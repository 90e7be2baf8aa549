import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEntry,
  type AuditExportFormat,
  type AuditFilter,
} from '@tandem/shared';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { errorText } from '../ui/errorText.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { actionLabel, actorText, detailText, EMPTY_FORM, filterOf, withPage, type AuditForm } from './auditView.ts';
import { saveFile } from '../ui/saveFile.ts';
import { useAuditController } from './controller.ts';
import './audit.css';
import { useT } from '../i18n/useT.ts';
import { useIntl } from 'react-intl';

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly entries: readonly AuditEntry[]; readonly next: string | null }
  | { readonly status: 'failed'; readonly message: string };

/**
 * Settings → Audit log (owners and admins): who did what, to whom, when, from where, newest
 * first; filters, "Load more", and the filtered log exported as CSV or JSON.
 */
export function AuditLog() {
  const t = useT();
  const intl = useIntl();
  const controller = useAuditController();
  const [form, setForm] = useState<AuditForm>(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [more, moreState] = useAsyncAction(
    useCallback(
      async (cursor: string | null) => {
        if (cursor === null) return;
        const page = await controller.page(filter, cursor);
        setLoaded((l) =>
          l.status === 'ready'
            ? { status: 'ready', entries: withPage(l.entries, page.entries), next: page.nextCursor }
            : l,
        );
      },
      [controller, filter],
    ),
  );
  const [exported, setExported] = useState('');
  const [exportAs, exportState] = useAsyncAction(
    useCallback(
      async (format: AuditExportFormat) => {
        setExported('');
        const file = await controller.export(filter, format);
        saveFile(file);
        setExported(t('audit.saved', { file: file.filename }));
      },
      [controller, filter, t],
    ),
  );

  const load = useCallback(async () => {
    setLoaded({ status: 'loading' });
    try {
      const page = await controller.page(filter, null);
      setLoaded({ status: 'ready', entries: page.entries, next: page.nextCursor });
    } catch (e) {
      setLoaded({ status: 'failed', message: errorText(e) });
    }
  }, [controller, filter]);
  useEffect(() => {
    void load();
  }, [load]);

  const ids = { action: useId(), actor: useId(), target: useId(), from: useId(), to: useId(), title: useId() };
  const set = (patch: Partial<AuditForm>) => setForm((f) => ({ ...f, ...patch }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilter(filterOf(form));
  };
  const clear = () => {
    setForm(EMPTY_FORM);
    setFilter({});
  };
  const filtered = Object.keys(filter).length > 0;
  const next = loaded.status === 'ready' ? loaded.next : null;

  return (
    <section className="card audit" aria-labelledby={ids.title} aria-busy={loaded.status === 'loading'}>
      <h2 id={ids.title}>{t('audit.title')}</h2>
      <p className="hint">{t('audit.hint')}</p>
      <form className="audit-filters" onSubmit={apply} aria-label={t('audit.filter')}>
        <div className="field">
          <label htmlFor={ids.action}>{t('audit.action')}</label>
          <select
            id={ids.action}
            value={form.action}
            onChange={(e) => set({ action: e.target.value as AuditAction | '' })}
          >
            <option value="">{t('audit.action.any')}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {actionLabel(action, intl.locale)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.actor}>{t('audit.who')}</label>
          <input
            id={ids.actor}
            maxLength={200}
            placeholder={t('audit.who.placeholder')}
            value={form.actor}
            onChange={(e) => set({ actor: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.target}>{t('audit.about')}</label>
          <input
            id={ids.target}
            maxLength={200}
            placeholder={t('audit.about.placeholder')}
            value={form.target}
            onChange={(e) => set({ target: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.from}>{t('chat.search.from')}</label>
          <input
            id={ids.from}
            type="datetime-local"
            value={form.from}
            onChange={(e) => set({ from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>{t('audit.until')}</label>
          <input id={ids.to} type="datetime-local" value={form.to} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <div className="row audit-filter-actions">
          <button type="submit" className="button button-primary">
            {t('audit.apply')}
          </button>
          <button type="button" className="button" onClick={clear} disabled={!filtered && form === EMPTY_FORM}>
            {t('audit.clear')}
          </button>
        </div>
      </form>

      <div className="row audit-export">
        <button type="button" className="button" disabled={exportState.busy} onClick={() => void exportAs('csv')}>
          {t('audit.export', { format: 'CSV' })}
        </button>
        <button type="button" className="button" disabled={exportState.busy} onClick={() => void exportAs('json')}>
          {t('audit.export', { format: 'JSON' })}
        </button>
        <p role="status" className="hint">
          {exportState.busy ? t('audit.exporting') : exported}
        </p>
      </div>
      {exportState.error === undefined ? null : (
        <p className="error" role="alert">
          {t('audit.exportFailed', { reason: exportState.error })}
        </p>
      )}

      {loaded.status === 'loading' ? <p role="status">{t('audit.loading')}</p> : null}
      {loaded.status === 'failed' ? (
        <div className="row">
          <p className="error" role="alert">
            {t('audit.loadFailed', { reason: loaded.message })}
          </p>
          <button type="button" className="button" onClick={() => void load()}>
            {t('ui.load.retry')}
          </button>
        </div>
      ) : null}
      {loaded.status === 'ready' && loaded.entries.length === 0 ? (
        <p role="status">{t(filtered ? 'audit.noMatch' : 'audit.none')}</p>
      ) : null}
      {loaded.status === 'ready' && loaded.entries.length > 0 ? (
        <>
          <div className="audit-table-wrap" tabIndex={0} role="region" aria-label={t('audit.entries')}>
            <table className="audit-table">
              <caption className="visually-hidden">{t('audit.caption', { filtered })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('audit.when')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.who')}</th>
                  <th scope="col">{t('audit.about')}</th>
                  <th scope="col">{t('audit.details')}</th>
                  <th scope="col">{t('chat.search.from')}</th>
                </tr>
              </thead>
              <tbody>
                {loaded.entries.map((e) => (
                  <tr key={e.id} data-action={e.action}>
                    <td>
                      <time dateTime={e.at}>{intl.formatDate(e.at, { dateStyle: 'medium', timeStyle: 'medium' })}</time>
                    </td>
                    <td>{actionLabel(e.action, intl.locale)}</td>
                    <td>{actorText(e.actor, t)}</td>
                    <td>{e.target === null ? '' : (e.target.label ?? e.target.id)}</td>
                    <td>{detailText(e.detail)}</td>
                    <td>
                      <span>{e.origin.address}</span>
                      <span className="hint audit-client">{e.origin.client}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next === null ? (
            <p className="hint">{t('audit.end', { filtered })}</p>
          ) : (
            <button type="button" className="button" disabled={moreState.busy} onClick={() => void more(next)}>
              {t(moreState.busy ? 'chat.loading' : 'audit.more')}
            </button>
          )}
          {moreState.error === undefined ? null : (
            <p className="error" role="alert">
              {t('audit.moreFailed', { reason: moreState.error })}
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}
