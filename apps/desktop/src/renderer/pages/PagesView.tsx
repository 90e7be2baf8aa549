import { pageFieldLink, type PageDelegation } from '@tandem/shared';
import { useCallback, useEffect } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { useLoad } from '../ui/useLoad.ts';
import { usePagesController } from './controller.ts';
import './pages.css';

/** How often the view asks who is on which page while it is open. */

const day = (d: string): string =>
  new Date(`${d}T00:00:00`).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

function Delegation({
  d,
  mine,
  onFinish,
}: {
  readonly d: PageDelegation;
  readonly mine: boolean;
  readonly onFinish: (status: 'done' | 'cancelled') => void;
}) {
  const who = mine ? `from ${d.delegatedBy.name}` : `to ${d.delegate.name}`;
  return (
    <li className="pages-item" data-status={d.status}>
      <a href={pageFieldLink(d.url, d.field)} target="_blank" rel="noreferrer">
        {d.fieldLabel} · {d.title}
      </a>
      <span className="pages-meta">
        {who}
        {d.dueDate === null ? '' : `, due ${day(d.dueDate)}`}
        {d.status === 'open' ? '' : ` (${d.status})`}
      </span>
      {d.note === '' ? null : <q className="pages-note">{d.note}</q>}
      {d.status !== 'open' ? null : mine ? (
        <button type="button" className="button" onClick={() => onFinish('done')}>
          Mark “{d.fieldLabel}” done
        </button>
      ) : (
        <button type="button" className="button" onClick={() => onFinish('cancelled')}>
          Take back “{d.fieldLabel}”
        </button>
      )}
    </li>
  );
}

/**
 * Pages (issue 18): the organisation's business-app pages people are on now (who, in which
 * field), the user's delegations to do and given, and the threads on pages' fields, each with a
 * link to open the page at its field.
 */
export function PagesView() {
  const pages = usePagesController();
  const navigate = useAppStore((s) => s.navigate);
  const load = useCallback(async () => {
    const [now, delegations, threads] = await Promise.all([pages.now(), pages.delegations(), pages.threads()]);
    return { now, delegations, threads };
  }, [pages]);
  const [loaded, reload] = useLoad(load);
  // Live: the server says when who is where, a delegation or a thread changed.
  useEffect(() => pages.onChanged(() => void reload()), [pages, reload]);
  const finish = (id: string, status: 'done' | 'cancelled') => void pages.finish(id, status).then(() => reload());

  return (
    <main className="pages-view" aria-labelledby="pages-heading">
      <h1 id="pages-heading">Pages</h1>
      <LoadState loaded={loaded} what="pages" onRetry={() => void reload()} />
      {loaded.status !== 'ready' ? null : (
        <>
          <section aria-labelledby="pages-now">
            <h2 id="pages-now">On pages now</h2>
            {loaded.value.now.pages.length === 0 ? (
              <p>Nobody is on a page right now.</p>
            ) : (
              <ul className="pages-list">
                {loaded.value.now.pages.map((p) => (
                  <li key={p.url} className="pages-item">
                    <a href={p.url} target="_blank" rel="noreferrer">
                      {p.title}
                    </a>
                    <ul aria-label={`On ${p.title}`} className="pages-viewers">
                      {p.viewers.map((v) => (
                        <li key={v.userId} data-status={v.status}>
                          {v.name}
                          {v.field === null ? '' : ` in ${v.field}`}
                          {v.idle ? ' (idle)' : ''}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="pages-todo">
            <h2 id="pages-todo">Delegated to me</h2>
            {loaded.value.delegations.toDo.length === 0 ? <p>Nothing delegated to you.</p> : null}
            <ul className="pages-list">
              {loaded.value.delegations.toDo.map((d) => (
                <Delegation key={d.id} d={d} mine onFinish={(s) => finish(d.id, s)} />
              ))}
            </ul>
          </section>
          <section aria-labelledby="pages-given">
            <h2 id="pages-given">Delegated by me</h2>
            {loaded.value.delegations.given.length === 0 ? <p>You delegated nothing.</p> : null}
            <ul className="pages-list">
              {loaded.value.delegations.given.map((d) => (
                <Delegation key={d.id} d={d} mine={false} onFinish={(s) => finish(d.id, s)} />
              ))}
            </ul>
          </section>
          <section aria-labelledby="pages-threads">
            <h2 id="pages-threads">Threads on pages</h2>
            {loaded.value.threads.threads.length === 0 ? <p>No threads on pages yet.</p> : null}
            <ul className="pages-list">
              {loaded.value.threads.threads.map((t) => (
                <li key={t.conversationId} className="pages-item">
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => navigate({ name: 'conversation', conversationId: t.conversationId })}
                  >
                    {t.fieldLabel} · {t.title}
                  </button>
                  <a href={pageFieldLink(t.url, t.field)} target="_blank" rel="noreferrer">
                    Open the page at “{t.fieldLabel}”
                  </a>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </main>
  );
}
