import { useParticipants, useRoomContext } from '@livekit/components-react';
import { BREAKOUT_LIMITS, type BreakoutSession } from '@tandem/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { useMeeting, useMeetingActions, useSelf } from './MeetingCollab.tsx';

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
  const left = useSecondsLeft(endsAt);
  if (left === null) return null;
  return (
    <p className="breakout-countdown" role="timer" aria-live="off">
      Rooms close in {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')}
    </p>
  );
}

function CreateRooms() {
  const { createBreakouts } = useMeetingActions();
  const [count, setCount] = useState(2);
  const [allowChoose, setAllowChoose] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void createBreakouts(
      Array.from({ length: count }, (_, i) => `Room ${i + 1}`),
      allowChoose,
    );
  };
  return (
    <form className="collab-form" aria-label="Create breakout rooms" onSubmit={submit}>
      <label>
        Number of rooms
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
        Let people choose their room
      </label>
      <button type="submit" className="button button-primary">
        Create rooms
      </button>
    </form>
  );
}

function HostControls({ session }: { readonly session: BreakoutSession }) {
  const room = useRoomContext();
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
          <h3>Assign people</h3>
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
            Assign automatically
          </button>
          <ul className="collab-list" aria-label="Assignments">
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
                    <option value="">Main room</option>
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
            Open rooms
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
              Message to every room
              <input
                value={message}
                maxLength={BREAKOUT_LIMITS.messageChars}
                onChange={(e) => setMessage(e.target.value)}
              />
            </label>
            <button type="submit" className="button" disabled={message.trim() === ''}>
              Broadcast
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
              Close after (seconds)
              <input
                type="number"
                min={10}
                value={seconds}
                onChange={(e) => setSeconds(Number(e.target.value) || 10)}
              />
            </label>
            <button type="submit" className="button">
              Start countdown
            </button>
          </form>
          <h3>Asking for help ({help.length})</h3>
          {help.length === 0 ? (
            <p className="collab-empty">Nobody has asked for help.</p>
          ) : (
            <ul className="collab-list" aria-label="Asking for help">
              {help.map((h) => (
                <li key={h.id} className="collab-row">
                  {h.name} in {session.rooms.find((r) => r.id === h.roomId)?.name ?? 'a room'}
                </li>
              ))}
            </ul>
          )}
          <div className="collab-actions">
            {session.rooms.map((r) => (
              <button key={r.id} type="button" className="link-button" onClick={() => void actions.visit(room, r)}>
                Visit {r.name}
              </button>
            ))}
          </div>
          {inRoom === null ? null : (
            <button type="button" className="button" onClick={() => void actions.backToMain(room)}>
              Back to the main room
            </button>
          )}
          <button type="button" className="button button-danger" onClick={() => void actions.closeBreakouts()}>
            Close rooms
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
  const { isHost, userId } = useSelf();
  const session = useMeeting((s) => s.breakouts);
  const inRoom = useMeeting((s) => s.inRoom);
  const broadcasts = useMeeting((s) => s.broadcasts);
  const actions = useMeetingActions();
  const hasRooms = session !== null && session.rooms.length > 0;
  const mine = session?.rooms.find((r) => r.participantIds.includes(userId)) ?? null;

  return (
    <section className="collab-panel" aria-labelledby="breakouts-title">
      <h2 id="breakouts-title">Breakout rooms</h2>
      <p className="collab-meta" data-breakout-room={inRoom?.id ?? 'main'}>
        You are in {inRoom === null ? 'the main room' : inRoom.name}.
      </p>
      {session?.status === 'open' ? <Countdown endsAt={session.endsAt} /> : null}
      {broadcasts.length > 0 ? (
        <div className="banner" role="status">
          {broadcasts.at(-1)?.fromName}: {broadcasts.at(-1)?.message}
        </div>
      ) : null}
      {!hasRooms ? <p className="collab-empty">No breakout rooms yet.</p> : null}
      {isHost && session?.status !== 'open' ? <CreateRooms /> : null}
      {hasRooms ? (
        <ul className="collab-list" aria-label="Rooms">
          {session.rooms.map((r) => (
            <li key={r.id} className="collab-row" data-room={r.name}>
              <strong>{r.name}</strong>
              <span className="collab-meta">
                {r.participantIds.length} {r.participantIds.length === 1 ? 'person' : 'people'}
                {r.id === mine?.id ? ' · your room' : ''}
              </span>
              {!isHost && session.allowChoose && session.status !== 'closed' && r.id !== mine?.id ? (
                <button type="button" className="link-button" onClick={() => void actions.chooseBreakout(r.id)}>
                  Join {r.name}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {isHost && session !== null && hasRooms ? <HostControls session={session} /> : null}
      {!isHost && inRoom !== null ? (
        <button type="button" className="button" onClick={() => void actions.askForHelp()}>
          Ask the host for help
        </button>
      ) : null}
    </section>
  );
}
