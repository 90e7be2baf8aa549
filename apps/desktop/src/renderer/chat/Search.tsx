import type { IpcResponse } from '@tandem/shared';
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { useController } from '../store/ControllerContext.ts';
import { sizeText } from './attachments.ts';
import { useMessagePerson } from './ChatLists.tsx';
import { Snippet } from './Snippet.tsx';
import { useT } from '../i18n/useT.ts';
import { useDates } from '../i18n/useDates.ts';

type Found = IpcResponse<'search:everything'>;

/** One kind of result under its heading (a region named by it), or nothing when there is none. */
function Section<T>({
  id,
  title,
  items,
  ordered = false,
  keyOf,
  children,
}: {
  readonly id: string;
  readonly title: string;
  readonly items: readonly T[];
  readonly ordered?: boolean;
  readonly keyOf: (item: T) => string;
  readonly children: (item: T) => ReactNode;
}) {
  if (items.length === 0) return null;
  const List = ordered ? 'ol' : 'ul';
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <List className="hits">
        {items.map((item) => (
          <li key={keyOf(item)}>{children(item)}</li>
        ))}
      </List>
    </section>
  );
}
type Results =
  | { readonly status: 'idle' }
  | { readonly status: 'searching' }
  | { readonly status: 'done'; readonly query: string; readonly found: Found }
  | { readonly status: 'error'; readonly message: string };

/** A date input's day as the start of that day (after) or of the next one (before), in local time. */
function dayBound(day: string, next: boolean): string | undefined {
  if (day === '') return undefined;
  const at = new Date(`${day}T00:00:00`);
  if (next) at.setDate(at.getDate() + 1);
  return at.toISOString();
}

/**
 * Search across chats: messages (this device's cache, merged with the server's answer when
 * online), files by name, channels and people, with filters (in, from, has a file, a date range).
 * Offline it says it searched only what this device holds.
 */
export function Search() {
  const t = useT();
  const { when: formatWhen } = useDates();
  const controller = useController();
  const offline = useAppStore((s) => s.connection !== 'online');
  const conversations = useAppStore((s) => s.conversations);
  const people = useAppStore(useShallow((s) => s.people));
  const navigate = useAppStore((s) => s.navigate);
  const messagePerson = useMessagePerson();
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState({ in: '', from: '', hasFile: false, after: '', before: '' });
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const id = useId();
  // The From filter lists the people the cache knows, which it may have learned since sign-in.
  useEffect(() => {
    controller.loadPeople().catch(() => undefined);
  }, [controller]);
  const titleOf = (conversationId: string) =>
    conversations.find((c) => c.id === conversationId)?.name || t('chat.title');
  const nameOf = (userId: string) => people.find((p) => p.id === userId)?.name ?? t('chat.someone');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const q = query.trim();
    if (q === '') return;
    setResults({ status: 'searching' });
    const after = dayBound(filters.after, false);
    const before = dayBound(filters.before, true);
    try {
      const found = await controller.search({
        query: q,
        ...(filters.in === '' ? {} : { conversationId: filters.in }),
        ...(filters.from === '' ? {} : { from: filters.from }),
        ...(filters.hasFile ? { hasFile: true } : {}),
        ...(after === undefined ? {} : { after }),
        ...(before === undefined ? {} : { before }),
      });
      setResults({ status: 'done', query: q, found });
    } catch (error) {
      setResults({ status: 'error', message: errorText(error) });
    }
  };
  const now = new Date();
  const found = results.status === 'done' ? results.found : null;
  const total =
    found === null
      ? 0
      : found.messages.length +
        found.files.length +
        found.channels.length +
        found.people.length +
        found.transcripts.length;

  return (
    <main className="search" aria-labelledby="search-title">
      <h1 id="search-title">{t('chat.search')}</h1>
      <form role="search" className="search-form" onSubmit={(e) => void submit(e)}>
        <div className="row">
          <label htmlFor={id} className="visually-hidden">
            {t('chat.search.label')}
          </label>
          <input
            id={id}
            type="search"
            value={query}
            placeholder={t('chat.search.placeholder')}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button
            type="submit"
            className="button button-primary"
            disabled={query.trim() === '' || results.status === 'searching'}
          >
            {t(results.status === 'searching' ? 'chat.search.searching' : 'chat.search')}
          </button>
        </div>
        <fieldset className="search-filters">
          <legend className="visually-hidden">{t('chat.search.filters')}</legend>
          <label>
            {t('chat.search.in')}
            <select value={filters.in} onChange={(e) => setFilters({ ...filters, in: e.target.value })}>
              <option value="">{t('chat.search.anywhere')}</option>
              {conversations.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name || t('chat.title')}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('chat.search.from')}
            <select value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })}>
              <option value="">{t('chat.search.anyone')}</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={filters.hasFile}
              onChange={(e) => setFilters({ ...filters, hasFile: e.target.checked })}
            />
            {t('chat.search.hasFile')}
          </label>
          <label>
            {t('chat.search.after')}
            <input
              type="date"
              value={filters.after}
              onChange={(e) => setFilters({ ...filters, after: e.target.value })}
            />
          </label>
          <label>
            {t('chat.search.before')}
            <input
              type="date"
              value={filters.before}
              onChange={(e) => setFilters({ ...filters, before: e.target.value })}
            />
          </label>
        </fieldset>
      </form>
      <p className="hint">
        {offline || found?.scope === 'device' ? t('chat.search.offline') : t('chat.search.online')}
      </p>
      <div aria-live="polite">
        {results.status === 'error' ? (
          <p className="error" role="alert">
            {t('chat.search.failed', { reason: results.message })}
          </p>
        ) : null}
        {results.status === 'done' && total === 0 ? (
          <p className="empty">{t('chat.search.none', { query: results.query })}</p>
        ) : null}
        {found !== null && total > 0 ? (
          <>
            <Section id={`${id}-people`} title={t('chat.people')} items={found.people} keyOf={(p) => p.id}>
              {(person) => (
                <button
                  type="button"
                  className="hit"
                  aria-label={t('call.message.named', { name: person.name })}
                  onClick={() => void messagePerson(person.id)}
                >
                  <span className="hit-title">{person.name}</span>
                </button>
              )}
            </Section>
            <Section id={`${id}-channels`} title={t('chat.channels')} items={found.channels} keyOf={(c) => c.id}>
              {(channel) => (
                <button
                  type="button"
                  className="hit"
                  onClick={() => navigate({ name: 'conversation', conversationId: channel.id })}
                >
                  <span className="hit-title"># {channel.name}</span>
                  <span className="hit-meta">
                    {t('chat.search.channelKind', { private: channel.private, archived: channel.archived })}
                  </span>
                </button>
              )}
            </Section>
            <Section id={`${id}-files`} title={t('chat.files')} items={found.files} keyOf={(f) => f.id}>
              {(file) => (
                <button
                  type="button"
                  className="hit"
                  onClick={() => navigate({ name: 'conversation', conversationId: file.conversationId })}
                >
                  <span className="hit-title">{file.name}</span>
                  <span className="hit-meta">
                    {titleOf(file.conversationId)} · {nameOf(file.uploadedBy)} · {sizeText(file.sizeBytes)} ·{' '}
                    {formatWhen(new Date(file.createdAt), now)}
                  </span>
                </button>
              )}
            </Section>
            <Section
              id={`${id}-messages`}
              title={t('chat.search.messages', { count: found.messages.length })}
              items={found.messages}
              ordered
              keyOf={(hit) => hit.message.clientId}
            >
              {(hit) => (
                <button
                  type="button"
                  className="hit"
                  onClick={() =>
                    navigate({
                      name: 'conversation',
                      conversationId: hit.message.conversationId,
                      threadOf: hit.message.threadOf ?? undefined,
                    })
                  }
                >
                  <span className="hit-meta">
                    {titleOf(hit.message.conversationId)} · {hit.message.authorName} ·{' '}
                    {formatWhen(new Date(hit.message.sentAt), now)}
                  </span>
                  <span className="hit-snippet">
                    <Snippet snippet={hit.snippet} />
                  </span>
                </button>
              )}
            </Section>
            <Section
              id={`${id}-transcripts`}
              title={t('transcript.search.hits', { count: found.transcripts.length })}
              items={found.transcripts}
              ordered
              keyOf={(hit) => hit.segment.id}
            >
              {(hit) => (
                <button
                  type="button"
                  className="hit"
                  onClick={() =>
                    navigate({ name: 'transcript', meetingId: hit.segment.meetingId, segmentId: hit.segment.id })
                  }
                >
                  <span className="hit-meta">
                    {hit.meetingTitle} · {hit.segment.speaker.name} · {formatWhen(new Date(hit.segment.startedAt), now)}
                  </span>
                  <span className="hit-snippet">
                    <Snippet snippet={hit.snippet} />
                  </span>
                </button>
              )}
            </Section>
          </>
        ) : null}
      </div>
    </main>
  );
}
