import { pageFieldLink, pageKeyString, type PageDelegation, type PageKey } from '@tandem/shared';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { useController } from '../store/ControllerContext.ts';
import { useLoad } from '../ui/useLoad.ts';
import { usePagesController } from './controller.ts';
import './pages.css';
import { useT } from '../i18n/useT.ts';
import { useIntl } from 'react-intl';
import { errorText } from '../ui/errorText.ts';

/**
 * A link to a business app's page: a real link (its address shows, it can be copied) that main
 * opens in the system browser, as the app's window never navigates away from its own UI.
 */
function PageLink({
  url,
  onOpen,
  children,
}: {
  readonly url: string;
  readonly onOpen: (url: string) => void;
  readonly children: ReactNode;
}) {
  return (
    <a
      href={url}
      target="_blank"
      rel="noreferrer"
      onClick={(event) => {
        event.preventDefault();
        onOpen(url);
      }}
    >
      {children}
    </a>
  );
}

function Delegation({
  d,
  mine,
  onFinish,
  onOpen,
}: {
  readonly d: PageDelegation;
  readonly mine: boolean;
  readonly onFinish: (status: 'done' | 'cancelled') => void;
  readonly onOpen: (url: string) => void;
}) {
  const t = useT();
  const intl = useIntl();
  const day = (date: string) =>
    intl.formatDate(new Date(`${date}T00:00:00`), { weekday: 'short', day: 'numeric', month: 'short' });
  return (
    <li className="pages-item" data-status={d.status}>
      <PageLink url={pageFieldLink(d.url, d.field)} onOpen={onOpen}>
        {d.fieldLabel} · {d.title}
      </PageLink>
      <span className="pages-meta">
        {t('pages.delegation', {
          mine,
          name: mine ? d.delegatedBy.name : d.delegate.name,
          hasDue: d.dueDate !== null,
          due: d.dueDate === null ? '' : day(d.dueDate),
          status: d.status,
        })}
      </span>
      {d.note === '' ? null : <q className="pages-note">{d.note}</q>}
      {d.status !== 'open' ? null : mine ? (
        <button type="button" className="button" onClick={() => onFinish('done')}>
          {t('pages.markDone', { field: d.fieldLabel })}
        </button>
      ) : (
        <button type="button" className="button" onClick={() => onFinish('cancelled')}>
          {t('pages.takeBack', { field: d.fieldLabel })}
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
  const t = useT();
  const pages = usePagesController();
  const navigate = useAppStore((s) => s.navigate);
  const controller = useController();
  const load = useCallback(async () => {
    const [now, delegations, threads] = await Promise.all([pages.now(), pages.delegations(), pages.threads()]);
    return { now, delegations, threads };
  }, [pages]);
  const [loaded, reload] = useLoad(load);
  // Live: the server says when who is where, a delegation or a thread changed.
  useEffect(() => pages.onChanged(() => void reload()), [pages, reload]);
  const [failed, setFailed] = useState<string | null>(null);
  const finish = (id: string, status: 'done' | 'cancelled') => void pages.finish(id, status).then(() => reload());
  const open = (url: string) => {
    setFailed(null);
    pages.open(url).catch((error: unknown) => setFailed(t('pages.openFailed', { reason: errorText(error, t) })));
  };
  const [joining, setJoining] = useState<string | null>(null);
  const join = (page: PageKey) => {
    setFailed(null);
    setJoining(pageKeyString(page));
    pages.room(page).then(
      (room) => controller.openJoinLink(room.joinCode),
      (error: unknown) => {
        setJoining(null);
        setFailed(t('pages.joinFailed', { reason: errorText(error, t) }));
      },
    );
  };

  return (
    <main className="pages-view" aria-labelledby="pages-heading">
      <h1 id="pages-heading">{t('app.nav.pages')}</h1>
      <LoadState loaded={loaded} what={t('pages.what')} onRetry={() => void reload()} />
      {failed === null ? null : (
        <p role="alert" className="error">
          {failed}
        </p>
      )}
      {loaded.status !== 'ready' ? null : (
        <>
          <section aria-labelledby="pages-now">
            <h2 id="pages-now">{t('pages.now')}</h2>
            {loaded.value.now.pages.length === 0 ? (
              <p>{t('pages.now.none')}</p>
            ) : (
              <ul className="pages-list">
                {loaded.value.now.pages.map((p) => (
                  <li key={p.url} className="pages-item">
                    <PageLink url={p.url} onOpen={open}>
                      {p.title}
                    </PageLink>
                    <button
                      type="button"
                      className="button"
                      disabled={joining === pageKeyString(p.page)}
                      onClick={() => join(p.page)}
                    >
                      {t('pages.joinRoom', { title: p.title })}
                    </button>
                    <ul aria-label={t('pages.on', { title: p.title })} className="pages-viewers">
                      {p.viewers.map((v) => (
                        <li key={v.userId} data-status={v.status}>
                          {t('pages.viewer', {
                            name: v.name,
                            inField: v.field !== null,
                            field: v.field ?? '',
                            idle: v.idle,
                          })}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="pages-todo">
            <h2 id="pages-todo">{t('pages.toMe')}</h2>
            {loaded.value.delegations.toDo.length === 0 ? <p>{t('pages.toMe.none')}</p> : null}
            <ul className="pages-list">
              {loaded.value.delegations.toDo.map((d) => (
                <Delegation key={d.id} d={d} mine onFinish={(s) => finish(d.id, s)} onOpen={open} />
              ))}
            </ul>
          </section>
          <section aria-labelledby="pages-given">
            <h2 id="pages-given">{t('pages.byMe')}</h2>
            {loaded.value.delegations.given.length === 0 ? <p>{t('pages.byMe.none')}</p> : null}
            <ul className="pages-list">
              {loaded.value.delegations.given.map((d) => (
                <Delegation key={d.id} d={d} mine={false} onFinish={(s) => finish(d.id, s)} onOpen={open} />
              ))}
            </ul>
          </section>
          <section aria-labelledby="pages-threads">
            <h2 id="pages-threads">{t('pages.threads')}</h2>
            {loaded.value.threads.threads.length === 0 ? <p>{t('pages.threads.none')}</p> : null}
            <ul className="pages-list">
              {loaded.value.threads.threads.map((thread) => (
                <li key={thread.conversationId} className="pages-item">
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => navigate({ name: 'conversation', conversationId: thread.conversationId })}
                  >
                    {thread.fieldLabel} · {thread.title}
                  </button>
                  <PageLink url={pageFieldLink(thread.url, thread.field)} onOpen={open}>
                    {t('pages.openAt', { field: thread.fieldLabel })}
                  </PageLink>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </main>
  );
}
