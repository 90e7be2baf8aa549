import { useState, type FormEvent } from 'react';
import { errorText } from '../ui/errorText.ts';
import { useE2ee, useE2eeSession } from './E2eeContext.ts';
import './e2ee.css';
import { useT } from '../i18n/useT.ts';

/**
 * Chat in an encrypted call: sealed with the meeting key and sent as LiveKit data to those in the
 * call; the server never carries nor keeps it. Each device keeps what it saw (the desktop's cache,
 * the browser's memory).
 */
export function EncryptedChat() {
  const t = useT();
  const session = useE2eeSession();
  const messages = useE2ee((s) => s.messages);
  const unreadable = useE2ee((s) => s.unreadable);
  const ready = useE2ee((s) => s.status === 'ready');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (body === '') return;
    session.send(body).then(
      () => {
        setText('');
        setError(null);
      },
      (err: unknown) => setError(errorText(err)),
    );
  };

  return (
    <section className="e2ee-chat" aria-label={t('e2ee.chat')}>
      <h2>{t('chat.title')}</h2>
      <p className="e2ee-note">{t('e2ee.chat.explained')}</p>
      <ol className="e2ee-messages" aria-live="polite">
        {messages.map((m) => (
          <li key={`${m.from}/${m.id}`} className="e2ee-message" data-mine={m.mine || undefined}>
            <span className="e2ee-author">{m.mine ? t('chat.you') : m.name}</span>
            <span className="e2ee-text">{m.text}</span>
          </li>
        ))}
      </ol>
      {unreadable > 0 ? (
        <p className="e2ee-note" role="status">
          {t('e2ee.chat.unreadable', { count: unreadable })}
        </p>
      ) : null}
      <form className="e2ee-composer" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="e2ee-composer">
          {t('call.message')}
        </label>
        <input
          id="e2ee-composer"
          value={text}
          maxLength={4000}
          placeholder={t(ready ? 'e2ee.chat.placeholder' : 'e2ee.waiting')}
          disabled={!ready}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button button-primary" disabled={!ready || text.trim() === ''}>
          {t('chat.send')}
        </button>
      </form>
      {error === null ? null : (
        <p role="alert" className="e2ee-note">
          {error}
        </p>
      )}
    </section>
  );
}
