import { formatWhen, type SearchHit } from '@tandem/shared';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { useController } from '../store/ControllerContext.ts';
import { snippetParts } from './snippet.ts';

function Snippet({ snippet }: { readonly snippet: string }): ReactNode {
  return snippetParts(snippet).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>));
}

type Results =
  | { readonly status: 'idle' }
  | { readonly status: 'searching' }
  | { readonly status: 'done'; readonly query: string; readonly hits: readonly SearchHit[] }
  | { readonly status: 'error'; readonly message: string };

export function Search() {
  const controller = useController();
  const offline = useAppStore((s) => s.connection !== 'online');
  const conversations = useAppStore((s) => s.conversations);
  const navigate = useAppStore((s) => s.navigate);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const id = useId();
  const titleOf = (conversationId: string) => conversations.find((c) => c.id === conversationId)?.name ?? 'Chat';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const q = query.trim();
    if (q === '') return;
    setResults({ status: 'searching' });
    try {
      setResults({ status: 'done', query: q, hits: await controller.search(q) });
    } catch (error) {
      setResults({ status: 'error', message: errorText(error) });
    }
  };
  const now = new Date();

  return (
    <main className="search" aria-labelledby="search-title">
      <h1 id="search-title">Search messages</h1>
      <form className="row" role="search" onSubmit={(e) => void submit(e)}>
        <label htmlFor={id} className="visually-hidden">
          Search messages
        </label>
        <input
          id={id}
          type="search"
          value={query}
          placeholder="Search your chats"
          onChange={(e) => setQuery(e.target.value)}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={query.trim() === '' || results.status === 'searching'}
        >
          {results.status === 'searching' ? 'Searching…' : 'Search'}
        </button>
      </form>
      <p className="hint">
        {offline
          ? 'Offline: searching the messages cached on this device.'
          : 'Searches the messages cached on this device.'}
      </p>
      <div aria-live="polite">
        {results.status === 'error' ? (
          <p className="error" role="alert">
            Search failed: {results.message}
          </p>
        ) : null}
        {results.status === 'done' && results.hits.length === 0 ? (
          <p className="empty">Nothing matches “{results.query}”.</p>
        ) : null}
        {results.status === 'done' && results.hits.length > 0 ? (
          <>
            <p className="hint">
              {results.hits.length} {results.hits.length === 1 ? 'message' : 'messages'} match “{results.query}”
            </p>
            <ol className="hits">
              {results.hits.map((hit) => (
                <li key={hit.message.clientId}>
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
                </li>
              ))}
            </ol>
          </>
        ) : null}
      </div>
    </main>
  );
}
