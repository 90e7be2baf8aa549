import { joinCodeFrom, type Meeting } from '@tandem/shared';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useDates } from '../i18n/useDates.ts';
import { useT } from '../i18n/useT.ts';
import { JoinLinked } from '../linked/JoinLinked.tsx';
import { LinkedCalendar } from '../linked/LinkedCalendar.tsx';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { DirectMessages, Groups, PeopleToMessage, SetAside } from '../chat/ChatLists.tsx';
import { Channels, RecentChats } from '../chat/ConversationLists.tsx';
import { MeetingForm } from './MeetingForm.tsx';
import { MeetingRowActions } from './MeetingRowActions.tsx';
import { RecordingsButton } from '../recording/RecordingsDialog.tsx';
import { SeriesView } from './SeriesView.tsx';

/**
 * One upcoming meeting: what, when, who organises it (the user, with how many are invited; or
 * someone else, by name: the user is invited) and its code.
 */
function MeetingRow({
  meeting,
  organiser,
  now,
}: {
  readonly meeting: Meeting;
  /** The organiser's name; null when it is the signed-in user. */
  readonly organiser: string | null;
  readonly now: Date;
}) {
  const t = useT();
  const dates = useDates();
  const navigate = useAppStore((s) => s.navigate);
  return (
    <li className="meeting">
      <div>
        <p className="meeting-title">{meeting.title}</p>
        <p className="meeting-when">
          {t('meetings.row.when', { when: dates.meetingWhen(meeting, now) })} <code>{meeting.joinCode}</code>
        </p>
        <p className="meeting-when">
          {organiser === null
            ? t('meetings.row.byYou', { invited: meeting.invitees.length })
            : t('meetings.row.by', { name: organiser })}
        </p>
        <SeriesView meeting={meeting} host={organiser === null} />
      </div>
      <button
        type="button"
        className="button"
        aria-label={t('meetings.row.joinNamed', { title: meeting.title })}
        onClick={() => navigate({ name: 'prejoin', codeOrLink: meeting.joinCode, title: meeting.title })}
      >
        {t('meetings.join')}
      </button>
      <MeetingRowActions meeting={meeting} organiser={organiser} />
    </li>
  );
}

function Meetings() {
  const t = useT();
  const meetings = useAppStore((s) => s.meetings);
  const controller = useController();
  const navigate = useAppStore((s) => s.navigate);
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const now = new Date();
  switch (meetings.status) {
    case 'idle':
    case 'loading':
      return (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> {t('meetings.loading')}
        </p>
      );
    case 'error':
      return (
        <div role="alert" className="error">
          <p>{t('meetings.loadFailed', { reason: meetings.message })}</p>
          <button type="button" className="button" onClick={() => void controller.loadMeetings()}>
            {t('ui.load.retry')}
          </button>
        </div>
      );
    case 'ready': {
      const { personalRoom, upcoming, organisers } = meetings.data;
      const organiserOf = (m: Meeting) =>
        m.ownerId === me ? null : (organisers[m.ownerId] ?? t('meetings.row.someone'));
      return (
        <>
          {personalRoom === null ? null : (
            <section className="card personal-room" aria-labelledby="personal-room">
              <h2 id="personal-room">{t('meetings.personalRoom')}</h2>
              <p>
                {t('meetings.personalRoom.code')} <code>{personalRoom.joinCode}</code> ·{' '}
                {t('meetings.personalRoom.link')}{' '}
                <code>{personalRoom.webJoinUrl === '' ? personalRoom.joinUrl : personalRoom.webJoinUrl}</code>
              </p>
              <button
                type="button"
                className="button button-primary"
                onClick={() =>
                  navigate({ name: 'prejoin', codeOrLink: personalRoom.joinCode, title: personalRoom.title })
                }
              >
                {t('meetings.personalRoom.start')}
              </button>
              <RecordingsButton meeting={personalRoom} />
            </section>
          )}
          <section className="card" aria-labelledby="upcoming">
            <h2 id="upcoming">{t('meetings.upcoming')}</h2>
            {upcoming.length === 0 ? (
              <p className="empty">{t('meetings.upcoming.none')}</p>
            ) : (
              <ul className="meetings">
                {upcoming.map((m) => (
                  <MeetingRow key={m.id} meeting={m} organiser={organiserOf(m)} now={now} />
                ))}
              </ul>
            )}
          </section>
        </>
      );
    }
    default: {
      const unreachable: never = meetings;
      throw new Error(`unknown load state ${JSON.stringify(unreachable)}`);
    }
  }
}

function JoinByCode() {
  const t = useT();
  const navigate = useAppStore((s) => s.navigate);
  const route = useAppStore((s) => s.route);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (route.name === 'home' && route.focus === 'joinByCode') field.current?.focus();
  }, [route]);
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = joinCodeFrom(text);
    setInvalid(code === null);
    if (code !== null) navigate({ name: 'prejoin', codeOrLink: code });
  };
  return (
    <form className="card join-form" onSubmit={submit} aria-labelledby="join-title">
      <h2 id="join-title">{t('meetings.joinByCode.title')}</h2>
      <div className="field">
        <label htmlFor={id}>{t('meetings.joinByCode.label')}</label>
        <div className="row">
          <input
            ref={field}
            id={id}
            value={text}
            placeholder={t('meetings.joinByCode.placeholder')}
            aria-invalid={invalid}
            aria-describedby={invalid ? `${id}-error` : undefined}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={text.trim() === ''}>
            {t('meetings.join')}
          </button>
        </div>
        {invalid ? (
          <p id={`${id}-error`} className="error" role="alert">
            {t('meetings.joinByCode.invalid')}
          </p>
        ) : null}
      </div>
    </form>
  );
}

function NewMeeting() {
  const t = useT();
  return (
    <section className="card" aria-labelledby="new-title">
      <h2 id="new-title">{t('meetings.new')}</h2>
      <MeetingForm />
    </section>
  );
}

export function Home() {
  const t = useT();
  const name = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.name : ''));
  const guest = useAppStore((s) => s.session.status === 'signedIn' && s.session.info.user.role === 'guest');
  return (
    <main className="home" aria-labelledby="home-title">
      <h1 id="home-title">{t('meetings.home.hello', { name })}</h1>
      <div className="home-columns">
        <div className="home-column">
          <Meetings />
          <DirectMessages />
          <Groups />
          <Channels />
          <SetAside />
          <RecentChats />
          <LinkedCalendar />
        </div>
        <div className="home-column">
          <JoinByCode />
          <JoinLinked />
          <NewMeeting />
          {guest ? null : <PeopleToMessage />}
        </div>
      </div>
    </main>
  );
}
