import { useParticipants } from '@livekit/components-react';
import { BREAKOUT_LIMITS, type BreakoutSession } from '@tandem/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useMeeting, useMeetingActions, useSelf } from './MeetingCollab.tsx';
import { useT } from '../i18n/useT.ts';

/** Seconds left until `endsAt`, for the countdown shown to everyone. */
function useSecondsLeft(endsAt: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (endsAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [endsAt]);
  return endsAt === null ? null : Math.max(0, Math.round((Date.parse(endsAt) - now) / 1000));
}

function Countdown({ endsAt }: { readonly endsAt: string | null }) {
  const t = useT();
  const left = useSecondsLeft(endsAt);
  if (left === null) return null;
  return (
    <p className="breakout-countdown" role="timer" aria-live="off">
      {t('collab.breakouts.closesIn', { time: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` })}
    </p>
  );
}

function CreateRooms() {
  const t = useT();
  const { createBreakouts } = useMeetingActions();
  const [count, setCount] = useState(2);
  const [allowChoose, setAllowChoose] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void createBreakouts(
      Array.from({ length: count }, (_, i) => t('collab.breakouts.roomName', { number: i + 1 })),
      allowChoose,
    );
  };
  return (
    <form className="collab-form" aria-label={t('collab.breakouts.create.label')} onSubmit={submit}>
      <label>
        {t('collab.breakouts.count')}
        <input
          type="number"
          min={1}
          max={BREAKOUT_LIMITS.rooms}
          value={count}
          onChange={(e) => setCount(Math.min(BREAKOUT_LIMITS.rooms, Math.max(1, Number(e.target.value) || 1)))}
        />
      </label>
      <label className="collab-check">
        <input type="checkbox" checked={allowChoose} onChange={(e) => setAllowChoose(e.target.checked)} />
        {t('collab.breakouts.allowChoose')}
      </label>
      <button type="submit" className="button button-primary">
        {t('collab.breakouts.create')}
      </button>
    </form>
  );
}

function HostControls({ session }: { readonly session: BreakoutSession }) {
  const t = useT();
  const actions = useMeetingActions();
  const help = useMeeting((s) => s.help);
  const inRoom = useMeeting((s) => s.inRoom);
  const participants = useParticipants();
  const people = participants
    .filter((p) => p.attributes['role'] !== 'host' && p.attributes['userId'] !== undefined)
    .map((p) => ({ userId: p.attributes['userId'] ?? '', name: p.name || p.identity }));
  const roomOf = (userId: string) => session.rooms.find((r) => r.participantIds.includes(userId))?.id ?? '';
  const [message, setMessage] = useState('');
  const [seconds, setSeconds] = useState(60);

  return (
    <>
      {session.status === 'draft' || session.status === 'closed' ? (
        <>
          <h3>{t('collab.breakouts.assign')}</h3>
          <button
            type="button"
            className="button"
            onClick={() =>
              void actions.assignBreakouts({
                mode: 'auto',
                userIds: people.map((p) => p.userId),
                seed: crypto.randomUUID(),
              })
            }
            disabled={people.length === 0}
          >
            {t('collab.breakouts.assignAuto')}
          </button>
          <ul className="collab-list" aria-label={t('collab.breakouts.assignments')}>
            {people.map((p) => (
              <li key={p.userId} className="collab-row">
                <label>
                  {p.name}
                  <select
                    value={roomOf(p.userId)}
                    onChange={(e) =>
                      void actions.assignBreakouts({
                        mode: 'manual',
                        assignments: [{ userId: p.userId, roomId: e.target.value === '' ? null : e.target.value }],
                      })
                    }
                  >
                    <option value="">{t('collab.breakouts.main')}</option>
                    {session.rooms.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.name}
                      </option>
                    ))}
                  </select>
                </label>
              </li>
            ))}
          </ul>
          <button type="button" className="button button-primary" onClick={() => void actions.openBreakouts()}>
            {t('collab.breakouts.open')}
          </button>
        </>
      ) : (
        <>
          <form
            className="collab-inline"
            onSubmit={(e) => {
              e.preventDefault();
              void actions.broadcast(message.trim()).then((ok) => ok && setMessage(''));
            }}
          >
            <label>
              {t('collab.breakouts.message')}
              <input
                value={message}
                maxLength={BREAKOUT_LIMITS.messageChars}
                onChange={(e) => setMessage(e.target.value)}
              />
            </label>
            <button type="submit" className="button" disabled={message.trim() === ''}>
              {t('collab.breakouts.broadcast')}
            </button>
          </form>
          <form
            className="collab-inline"
            onSubmit={(e) => {
              e.preventDefault();
              void actions.countdown(seconds);
            }}
          >
            <label>
              {t('collab.breakouts.closeAfter')}
              <input
                type="number"
                min={10}
                value={seconds}
                onChange={(e) => setSeconds(Number(e.target.value) || 10)}
              />
            </label>
            <button type="submit" className="button">
              {t('collab.breakouts.countdown')}
            </button>
          </form>
          <h3>{t('collab.breakouts.help.count', { count: help.length })}</h3>
          {help.length === 0 ? (
            <p className="collab-empty">{t('collab.breakouts.help.none')}</p>
          ) : (
            <ul className="collab-list" aria-label={t('collab.breakouts.help')}>
              {help.map((h) => (
                <li key={h.id} className="collab-row">
                  {t('collab.breakouts.help.in', {
                    name: h.name,
                    room: session.rooms.find((r) => r.id === h.roomId)?.name ?? '',
                  })}
                </li>
              ))}
            </ul>
          )}
          <div className="collab-actions">
            {session.rooms.map((r) => (
              <button key={r.id} type="button" className="link-button" onClick={() => void actions.visit(r)}>
                {t('collab.breakouts.visit', { name: r.name })}
              </button>
            ))}
          </div>
          {inRoom === null ? null : (
            <button type="button" className="button" onClick={() => void actions.backToMain()}>
              {t('collab.breakouts.back')}
            </button>
          )}
          <button type="button" className="button button-danger" onClick={() => void actions.closeBreakouts()}>
            {t('collab.breakouts.close')}
          </button>
        </>
      )}
    </>
  );
}

/**
 * Breakout rooms. Hosts create, assign (by hand or automatically), open, broadcast, count down,
 * visit and close; participants see their room, choose one when allowed, and ask for help.
 */
export function BreakoutsPanel() {
  const t = useT();
  const { isHost, userId } = useSelf();
  const session = useMeeting((s) => s.breakouts);
  const inRoom = useMeeting((s) => s.inRoom);
  const broadcasts = useMeeting((s) => s.broadcasts);
  const actions = useMeetingActions();
  const hasRooms = session !== null && session.rooms.length > 0;
  const mine = session?.rooms.find((r) => r.participantIds.includes(userId)) ?? null;

  return (
    <section className="collab-panel" aria-labelledby="breakouts-title">
      <h2 id="breakouts-title">{t('e2ee.unavailable.breakouts')}</h2>
      <p className="collab-meta" data-breakout-room={inRoom?.id ?? 'main'}>
        {t('collab.breakouts.youAreIn', { main: inRoom === null, room: inRoom?.name ?? '' })}
      </p>
      {session?.status === 'open' ? <Countdown endsAt={session.endsAt} /> : null}
      {broadcasts.length > 0 ? (
        <div className="banner" role="status">
          {broadcasts.at(-1)?.fromName}: {broadcasts.at(-1)?.message}
        </div>
      ) : null}
      {!hasRooms ? <p className="collab-empty">{t('collab.breakouts.none')}</p> : null}
      {isHost && session?.status !== 'open' ? <CreateRooms /> : null}
      {hasRooms ? (
        <ul className="collab-list" aria-label={t('collab.breakouts.rooms')}>
          {session.rooms.map((r) => (
            <li key={r.id} className="collab-row" data-room={r.name}>
              <strong>{r.name}</strong>
              <span className="collab-meta">
                {t('collab.breakouts.people', { count: r.participantIds.length, mine: r.id === mine?.id })}
              </span>
              {!isHost && session.allowChoose && session.status !== 'closed' && r.id !== mine?.id ? (
                <button type="button" className="link-button" onClick={() => void actions.chooseBreakout(r.id)}>
                  {t('collab.breakouts.join', { name: r.name })}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {isHost && session !== null && hasRooms ? <HostControls session={session} /> : null}
      {!isHost && inRoom !== null ? (
        <button type="button" className="button" onClick={() => void actions.askForHelp()}>
          {t('collab.breakouts.askHelp')}
        </button>
      ) : null}
    </section>
  );
}
