import { useCallback, useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import {
  CHANNEL_NAME_MAX,
  channelNameProblem,
  channelsByActivity,
  recentMeetingChats,
} from '../store/conversations.ts';
import { ChatRow } from './ChatRow.tsx';
import { chattable } from './ChatLists.tsx';
import { PeoplePicker } from '../ui/PeoplePicker.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useOrganisationPeople } from '../meetings/MeetingForm.tsx';
import { useT } from '../i18n/useT.ts';

const RECENT_CHATS = 10;

function NewChannel() {
  const controller = useController();
  const t = useT();
  const navigate = useAppStore((s) => s.navigate);
  const channels = useAppStore((s) => s.conversations);
  const [name, setName] = useState('');
  const [privately, setPrivately] = useState(false);
  const [members, setMembers] = useState<string[]>([]);
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const create = useCallback(
    async (channelName: string) => {
      const conversationId = await controller.createChannel(channelName, privately ? { memberIds: members } : null);
      navigate({ name: 'conversation', conversationId });
    },
    [controller, navigate, privately, members],
  );
  const [run, state] = useAsyncAction(create);
  const id = useId();
  const error = invalid ?? state.error;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = channelNameProblem(name, channels, t) ?? undefined;
    setInvalid(problem);
    if (problem === undefined && (await run(name.trim()))) setName('');
  };
  return (
    <form className="new-channel" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`}>{t('chat.channel.new')}</h3>
      <div className="field">
        <label htmlFor={id}>{t('chat.channelName')}</label>
        <div className="row">
          <input
            id={id}
            value={name}
            maxLength={CHANNEL_NAME_MAX}
            aria-invalid={error !== undefined}
            aria-describedby={error === undefined ? undefined : `${id}-error`}
            onChange={(e) => {
              setName(e.target.value);
              setInvalid(undefined);
            }}
          />
          <button type="submit" className="button" disabled={state.busy}>
            {t(state.busy ? 'chat.channel.creating' : 'chat.channel.create')}
          </button>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={privately} onChange={(e) => setPrivately(e.target.checked)} />
        {t('chat.channel.private')}
      </label>
      {privately ? <PrivateMembers chosen={members} onChange={setMembers} /> : null}
      {error === undefined ? null : (
        <p id={`${id}-error`} className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** The first members of a private channel (more can be invited later). */
function PrivateMembers({ chosen, onChange }: { readonly chosen: string[]; onChange(chosen: string[]): void }) {
  const t = useT();
  const people = useOrganisationPeople();
  const selfId = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const pickable = people.status === 'ready' ? chattable(people.people, selfId) : [];
  return people.status === 'failed' ? (
    <p className="error">{t('chat.people.failed', { reason: people.message })}</p>
  ) : (
    <PeoplePicker
      label={t('chat.members')}
      people={pickable}
      chosen={chosen}
      onChange={onChange}
      unknownName={t(people.status === 'loading' ? 'chat.loading' : 'chat.unlisted')}
    />
  );
}

/** Every channel of the organisation, newest activity first, with unread counts; members start new ones. */
export function Channels() {
  const controller = useController();
  const t = useT();
  const status = useAppStore((s) => s.conversationsStatus);
  const channels = useAppStore(useShallow((s) => channelsByActivity(s.conversations)));
  const guest = useAppStore((s) => s.session.status === 'signedIn' && s.session.info.user.role === 'guest');
  let body;
  switch (status.status) {
    case 'idle':
    case 'loading':
      body = (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> {t('chat.channels.loading')}
        </p>
      );
      break;
    case 'error':
      body = (
        <div role="alert" className="error">
          <p>{t('chat.channels.failed', { reason: status.message })}</p>
          <button type="button" className="button" onClick={() => void controller.loadConversations()}>
            {t('ui.load.retry')}
          </button>
        </div>
      );
      break;
    case 'ready':
      body =
        channels.length === 0 ? (
          <p className="empty">{t(guest ? 'chat.channels.guest' : 'chat.channels.none')}</p>
        ) : (
          <ul className="conversations">
            {channels.map((c) => (
              <ChatRow key={c.id} conversation={c} />
            ))}
          </ul>
        );
      break;
    default: {
      const unreachable: never = status;
      throw new Error(`unknown load state ${JSON.stringify(unreachable)}`);
    }
  }
  return (
    <section className="card" aria-labelledby="channels-title">
      <h2 id="channels-title">{t('chat.channels')}</h2>
      {body}
      {guest ? null : <NewChannel />}
    </section>
  );
}

/** Meeting chats opened here: they stay readable offline. */
export function RecentChats() {
  const t = useT();
  const chats = useAppStore(useShallow((s) => recentMeetingChats(s.conversations, RECENT_CHATS)));
  return (
    <section className="card" aria-labelledby="recent-chats">
      <h2 id="recent-chats">{t('chat.recent')}</h2>
      {chats.length === 0 ? (
        <p className="empty">{t('chat.recent.none')}</p>
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
