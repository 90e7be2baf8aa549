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
import {
  ACTION_LABELS,
  actorText,
  detailText,
  EMPTY_FORM,
  filterOf,
  whenText,
  withPage,
  type AuditForm,
} from './auditView.ts';
import { saveFile } from '../ui/saveFile.ts';
import { useAuditController } from './controller.ts';
import './audit.css';

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly entries: readonly AuditEntry[]; readonly next: string | null }
  | { readonly status: 'failed'; readonly message: string };

/**
 * Settings → Audit log (owners and admins): who did what, to whom, when, from where, newest
 * first; filters, "Load more", and the filtered log exported as CSV or JSON.
 */
export function AuditLog() {
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
        setExported(`Saved ${file.filename}.`);
      },
      [controller, filter],
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
      <h2 id={ids.title}>Audit log</h2>
      <p className="hint">
        Every security-relevant action in your organisation: sign-ins and their failures, changes to people and roles,
        provisioning, meeting locks and removals, connected accounts and settings. Entries can never be changed or
        removed.
      </p>
      <form className="audit-filters" onSubmit={apply} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor={ids.action}>Action</label>
          <select
            id={ids.action}
            value={form.action}
            onChange={(e) => set({ action: e.target.value as AuditAction | '' })}
          >
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {ACTION_LABELS[action]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.actor}>Who</label>
          <input
            id={ids.actor}
            maxLength={200}
            placeholder="Name or e-mail"
            value={form.actor}
            onChange={(e) => set({ actor: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.target}>About</label>
          <input
            id={ids.target}
            maxLength={200}
            placeholder="Person, meeting or token"
            value={form.target}
            onChange={(e) => set({ target: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.from}>From</label>
          <input
            id={ids.from}
            type="datetime-local"
            value={form.from}
            onChange={(e) => set({ from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>Until</label>
          <input id={ids.to} type="datetime-local" value={form.to} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <div className="row audit-filter-actions">
          <button type="submit" className="button button-primary">
            Apply filters
          </button>
          <button type="button" className="button" onClick={clear} disabled={!filtered && form === EMPTY_FORM}>
            Clear
          </button>
        </div>
      </form>

      <div className="row audit-export">
        <button type="button" className="button" disabled={exportState.busy} onClick={() => void exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" className="button" disabled={exportState.busy} onClick={() => void exportAs('json')}>
          Export JSON
        </button>
        <p role="status" className="hint">
          {exportState.busy ? 'Exporting…' : exported}
        </p>
      </div>
      {exportState.error === undefined ? null : (
        <p className="error" role="alert">
          Not exported: {exportState.error}
        </p>
      )}

      {loaded.status === 'loading' ? <p role="status">Loading the audit log…</p> : null}
      {loaded.status === 'failed' ? (
        <div className="row">
          <p className="error" role="alert">
            The audit log could not be loaded: {loaded.message}
          </p>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      ) : null}
      {loaded.status === 'ready' && loaded.entries.length === 0 ? (
        <p role="status">{filtered ? 'No entries match these filters.' : 'Nothing has been recorded yet.'}</p>
      ) : null}
      {loaded.status === 'ready' && loaded.entries.length > 0 ? (
        <>
          <div className="audit-table-wrap" tabIndex={0} role="region" aria-label="Audit log entries">
            <table className="audit-table">
              <caption className="visually-hidden">
                Audit log entries, newest first{filtered ? ', filtered' : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Who</th>
                  <th scope="col">About</th>
                  <th scope="col">Details</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {loaded.entries.map((e) => (
                  <tr key={e.id} data-action={e.action}>
                    <td>
                      <time dateTime={e.at}>{whenText(e.at)}</time>
                    </td>
                    <td>{ACTION_LABELS[e.action]}</td>
                    <td>{actorText(e.actor)}</td>
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
            <p className="hint">That is everything{filtered ? ' that matches' : ''}.</p>
          ) : (
            <button type="button" className="button" disabled={moreState.busy} onClick={() => void more(next)}>
              {moreState.busy ? 'Loading…' : 'Load more'}
            </button>
          )}
          {moreState.error === undefined ? null : (
            <p className="error" role="alert">
              More entries could not be loaded: {moreState.error}
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}
