import { useRoomContext } from '@livekit/components-react';
import { WEBINAR_REACTIONS_TOPIC, WebinarReactionMessageSchema, type ReactionMessage } from '@tandem/shared';
import { RoomEvent, type RemoteParticipant } from 'livekit-client';
import { useEffect, useState } from 'react';
import { useMeeting } from '../collab/MeetingCollab.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useWebinar } from './WebinarContext.tsx';
import './webinar.css';

/** How long an audience reaction floats over the stage. */
const SHOW_MS = 4000;
const decoder = new TextDecoder();

type Shown = { readonly id: number; readonly emoji: ReactionMessage['emoji'] };

/**
 * The audience's reactions, as the server sends them into the room (no sender: nobody sees the
 * audience). Everyone in the webinar sees them float by.
 */
function AudienceReactions() {
  const room = useRoomContext();
  const [shown, setShown] = useState<readonly Shown[]>([]);
  useEffect(() => {
    let next = 0;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const listener = (payload: Uint8Array, sender?: RemoteParticipant, _kind?: unknown, topic?: string) => {
      if (topic !== WEBINAR_REACTIONS_TOPIC.topic || sender !== undefined) return;
      let json: unknown;
      try {
        json = JSON.parse(decoder.decode(payload));
      } catch {
        return;
      }
      const parsed = WebinarReactionMessageSchema.safeParse(json);
      if (!parsed.success) return;
      const id = next++;
      setShown((s) => [...s, { id, emoji: parsed.data.emoji }]);
      const timer = setTimeout(() => {
        timers.delete(timer);
        setShown((s) => s.filter((r) => r.id !== id));
      }, SHOW_MS);
      timers.add(timer);
    };
    room.on(RoomEvent.DataReceived, listener);
    return () => {
      room.off(RoomEvent.DataReceived, listener);
      for (const timer of timers) clearTimeout(timer);
    };
  }, [room]);
  if (shown.length === 0) return null;
  return (
    <div className="audience-reactions" aria-label="Audience reactions">
      {shown.map((r) => (
        <span key={r.id} className="audience-reaction" role="img" aria-label={`audience reaction ${r.emoji}`}>
          {r.emoji}
        </span>
      ))}
    </div>
  );
}

/** Hosts take the webinar on air; until then the attendees wait, and the hosts see how many. */
function GoLive() {
  const { goLive } = useWebinar();
  const waiting = useMeeting((s) => s.waiting.length);
  const [run, state] = useAsyncAction(async () => {
    if (!(await goLive())) throw new Error('the webinar is still in the backstage');
  });
  return (
    <>
      <span>{waiting === 1 ? '1 attendee is waiting.' : `${waiting} attendees are waiting.`}</span>
      <button type="button" className="button button-primary" disabled={state.busy} onClick={() => void run()}>
        Go live
      </button>
    </>
  );
}

/**
 * A webinar's state in the call header: the backstage (panelists only, attendees wait), on air, or
 * what an attendee may do. Nothing in a meeting.
 */
export function WebinarBanner() {
  const { meeting, seat } = useWebinar();
  if (seat === null) return null;
  const live = meeting.webinar?.liveSince != null;
  return (
    <div className="webinar-status" data-stage={live ? 'live' : 'backstage'} role="status">
      <span className="webinar-badge">{live ? 'Live' : 'Backstage'}</span>
      {seat === 'attendee' ? (
        <span>You are in the audience: the panelists cannot see or hear you. Ask in Q&amp;A, or react.</span>
      ) : live ? (
        <span>Attendees see and hear the panelists.</span>
      ) : (
        <span>Only panelists are here: attendees cannot see or hear you until a host goes live.</span>
      )}
      {seat === 'host' && !live ? <GoLive /> : null}
      <AudienceReactions />
    </div>
  );
}
