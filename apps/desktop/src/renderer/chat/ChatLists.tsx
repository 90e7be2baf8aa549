import type { User } from '@tandem/shared';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useOrganisationPeople } from '../meetings/MeetingForm.tsx';
import { useAppStore } from '../store/appStore.ts';
import { Modal } from '../ui/Modal.tsx';
import { BusyStatus, PresenceDot } from '../presence/PresenceDot.tsx';
import { PeoplePicker } from '../ui/PeoplePicker.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { ChatRow } from './ChatRow.tsx';
import { chatsOf, setAside } from './chats.ts';
import { useChatsController } from './chatsController.ts';
import './chats.css';
import { useT } from '../i18n/useT.ts';

const selfOf = (s: ReturnType<typeof useAppStore.getState>) =>
  s.session.status === 'signedIn' ? s.session.info.user : undefined;

/** People one may chat with: active, not guests, not oneself. */
export const chattable = (people: readonly User[], selfId: string | undefined): User[] =>
  people.filter((p) => p.id !== selfId && p.role !== 'guest' && p.status === 'active');

/** Direct messages, newest first; one starts from People (or a person in a call). */
export function DirectMessages() {
  const chats = useAppStore(useShallow((s) => chatsOf(s.conversations, 'direct')));
  const t = useT();
  const loading = useAppStore((s) => s.conversationsStatus.status !== 'ready');
  return (
    <section className="card" aria-labelledby="direct-title">
      <h2 id="direct-title">{t('chat.direct.title')}</h2>
      {chats.length === 0 ? (
        <p className="empty">{t(loading ? 'chat.loading' : 'chat.direct.none')}</p>
      ) : (
        <ul className="conversations">
          {chats.map((c) => (
            <ChatRow key={c.id} conversation={c} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Group chats, newest first, and starting one. */
export function Groups() {
  const chats = useAppStore(useShallow((s) => chatsOf(s.conversations, 'group')));
  const t = useT();
  const [creating, setCreating] = useState(false);
  return (
    <section className="card" aria-labelledby="groups-title">
      <div className="card-heading">
        <h2 id="groups-title">{t('chat.groups.title')}</h2>
        <button type="button" className="button" onClick={() => setCreating(true)}>
          {t('chat.groups.new')}
        </button>
      </div>
      {chats.length === 0 ? (
        <p className="empty">{t('chat.groups.none')}</p>
      ) : (
        <ul className="conversations">
          {chats.map((c) => (
            <ChatRow key={c.id} conversation={c} />
          ))}
        </ul>
      )}
      {creating ? <NewGroupDialog onClose={() => setCreating(false)} /> : null}
    </section>
  );
}

/** Archived channels and groups, and public channels the user left: apart, to reopen or rejoin. */
export function SetAside() {
  const t = useT();
  const chats = useAppStore(useShallow((s) => setAside(s.conversations)));
  if (chats.length === 0) return null;
  return (
    <section className="card" aria-labelledby="aside-title">
      <details>
        <summary>
          <h2 id="aside-title" className="inline-heading">
            {t('chat.setAside', { count: chats.length })}
          </h2>
        </summary>
        <ul className="conversations">
          {chats.map((c) => (
            <ChatRow key={c.id} conversation={c} />
          ))}
        </ul>
      </details>
    </section>
  );
}

/** A group: two or more others, and a name if wanted. */
function NewGroupDialog({ onClose }: { readonly onClose: () => void }) {
  const controller = useChatsController();
  const navigate = useAppStore((s) => s.navigate);
  const self = useAppStore(selfOf);
  const people = useOrganisationPeople();
  const t = useT();
  const pickable = useMemo(() => (people.status === 'ready' ? chattable(people.people, self?.id) : []), [people, self]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [invalid, setInvalid] = useState<string | undefined>();
  const id = useId();
  const [run, state] = useAsyncAction(async () => {
    const conversationId = await controller.createGroup(chosen, name);
    onClose();
    navigate({ name: 'conversation', conversationId });
  });
  const error = invalid ?? state.error;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = chosen.length < 2 ? t('chat.groups.tooFew') : undefined;
    setInvalid(problem);
    if (problem === undefined) void run();
  };
  return (
    <Modal title={t('chat.groups.new')} onClose={onClose}>
      <form onSubmit={submit} noValidate aria-describedby={error === undefined ? undefined : `${id}-error`}>
        {people.status === 'failed' ? (
          <p className="error">{t('chat.people.failed', { reason: people.message })}</p>
        ) : (
          <PeoplePicker
            label={t('chat.people')}
            people={pickable}
            chosen={chosen}
            onChange={(next) => {
              setChosen(next);
              setInvalid(undefined);
            }}
            unknownName={t(people.status === 'loading' ? 'chat.loading' : 'chat.unlisted')}
          />
        )}
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('chat.groups.name')}</label>
          <input id={`${id}-name`} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </div>
        {error === undefined ? null : (
          <p id={`${id}-error`} className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('chat.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={state.busy}>
            {t(state.busy ? 'chat.groups.starting' : 'chat.groups.start')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** The organisation's people, to message directly (online: the list comes from the server). */
export function PeopleToMessage() {
  const self = useAppStore(selfOf);
  const people = useOrganisationPeople();
  const t = useT();
  const [query, setQuery] = useState('');
  const id = useId();
  const shown = useMemo(() => {
    if (people.status !== 'ready') return [];
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return chattable(people.people, self?.id).filter((p) =>
      words.every((w) => `${p.name} ${p.email}`.toLowerCase().includes(w)),
    );
  }, [people, query, self]);
  return (
    <section className="card" aria-labelledby={`${id}-title`} aria-busy={people.status === 'loading'}>
      <h2 id={`${id}-title`}>{t('chat.people')}</h2>
      {people.status === 'loading' ? (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> {t('chat.people.loading')}
        </p>
      ) : null}
      {people.status === 'failed' ? (
        <p className="error" role="alert">
          {t('chat.people.failed', { reason: people.message })}
        </p>
      ) : null}
      {people.status === 'ready' ? (
        <>
          <div className="field">
            <label htmlFor={`${id}-find`}>{t('chat.people.find')}</label>
            <input id={`${id}-find`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          </div>
          {shown.length === 0 ? (
            <p className="empty">{query === '' ? t('chat.people.nobody') : t('chat.people.noMatch', { query })}</p>
          ) : (
            <ul className="people-to-message" aria-label={t('chat.people.list')}>
              {shown.slice(0, 50).map((person) => (
                <PersonToMessage key={person.id} person={person} />
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}

function PersonToMessage({ person }: { readonly person: User }) {
  const message = useMessagePerson();
  const t = useT();
  const [run, state] = useAsyncAction(() => message(person.id));
  return (
    <li className="person-to-message">
      <span className="person-name">
        {person.name}
        <PresenceDot userId={person.id} />
        <BusyStatus userId={person.id} />
      </span>
      <button
        type="button"
        className="button"
        aria-label={t('call.message.named', { name: person.name })}
        disabled={state.busy}
        onClick={() => void run()}
      >
        {t('call.message')}
      </button>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </li>
  );
}

/** Opens the direct chat with someone (starting it the first time). */
export function useMessagePerson(): (userId: string) => Promise<void> {
  const controller = useChatsController();
  const navigate = useAppStore((s) => s.navigate);
  return async (userId) => {
    navigate({ name: 'conversation', conversationId: await controller.startDirect(userId) });
  };
}
