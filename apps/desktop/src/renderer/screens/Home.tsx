import { joinCodeFrom, type Meeting } from '@tandem/shared';
import { useId, useState, type FormEvent } from 'react';
import { formatSpan } from '../format.ts';
import { JoinLinked } from '../linked/JoinLinked.tsx';
import { LinkedCalendar } from '../linked/LinkedCalendar.tsx';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { Channels, RecentChats } from './ConversationLists.tsx';
import { MeetingForm } from './MeetingForm.tsx';
import { MeetingRowActions } from './MeetingRowActions.tsx';

function MeetingRow({ meeting, now }: { readonly meeting: Meeting; readonly now: Date }) {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <li className="meeting">
      <div>
        <p className="meeting-title">{meeting.title}</p>
        <p className="meeting-when">
          {meeting.startsAt === null
            ? 'Any time'
            : formatSpan(
                new Date(meeting.startsAt),
                meeting.endsAt === null ? null : new Date(meeting.endsAt),
                now,
              )}{' '}
          · code <code>{meeting.joinCode}</code>
        </p>
      </div>
      <button
        type="button"
        className="button"
        aria-label={`Join ${meeting.title}`}
        onClick={() => navigate({ name: 'prejoin', codeOrLink: meeting.joinCode, title: meeting.title })}
      >
        Join
      </button>
      <MeetingRowActions meeting={meeting} />
    </li>
  );
}

function Meetings() {
  const meetings = useAppStore((s) => s.meetings);
  const controller = useController();
  const navigate = useAppStore((s) => s.navigate);
  const now = new Date();
  switch (meetings.status) {
    case 'idle':
    case 'loading':
      return (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> Loading meetings…
        </p>
      );
    case 'error':
      return (
        <div role="alert" className="error">
          <p>Could not load meetings: {meetings.message}</p>
          <button type="button" className="button" onClick={() => void controller.loadMeetings()}>
            Try again
          </button>
        </div>
      );
    case 'ready': {
      const { personalRoom, upcoming } = meetings.data;
      return (
        <>
          {personalRoom === null ? null : (
            <section className="card personal-room" aria-labelledby="personal-room">
              <h2 id="personal-room">Your personal room</h2>
              <p>
                Code <code>{personalRoom.joinCode}</code> · link <code>{personalRoom.joinUrl}</code>
              </p>
              <button
                type="button"
                className="button button-primary"
                onClick={() =>
                  navigate({ name: 'prejoin', codeOrLink: personalRoom.joinCode, title: personalRoom.title })
                }
              >
                Start in my room
              </button>
            </section>
          )}
          <section className="card" aria-labelledby="upcoming">
            <h2 id="upcoming">Upcoming meetings</h2>
            {upcoming.length === 0 ? (
              <p className="empty">No upcoming meetings.</p>
            ) : (
              <ul className="meetings">
                {upcoming.map((m) => (
                  <MeetingRow key={m.id} meeting={m} now={now} />
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
  const navigate = useAppStore((s) => s.navigate);
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
      <h2 id="join-title">Join a meeting</h2>
      <div className="field">
        <label htmlFor={id}>Meeting code or link</label>
        <div className="row">
          <input
            id={id}
            value={text}
            placeholder="abc-defg or tandem://join/abc-defg"
            aria-invalid={invalid}
            aria-describedby={invalid ? `${id}-error` : undefined}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="button button-primary" disabled={text.trim() === ''}>
            Join
          </button>
        </div>
        {invalid ? (
          <p id={`${id}-error`} className="error" role="alert">
            That is not a meeting code or join link.
          </p>
        ) : null}
      </div>
    </form>
  );
}

function NewMeeting() {
  return (
    <section className="card" aria-labelledby="new-title">
      <h2 id="new-title">New meeting</h2>
      <MeetingForm />
    </section>
  );
}

export function Home() {
  const name = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.name : ''));
  return (
    <main className="home" aria-labelledby="home-title">
      <h1 id="home-title">Hello, {name}</h1>
      <div className="home-columns">
        <div className="home-column">
          <Meetings />
          <Channels />
          <RecentChats />
          <LinkedCalendar />
        </div>
        <div className="home-column">
          <JoinByCode />
          <JoinLinked />
          <NewMeeting />
        </div>
      </div>
    </main>
  );
}
