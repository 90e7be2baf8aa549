import { useRoomContext } from '@livekit/components-react';
import { WEBINAR_REACTIONS_TOPIC, WebinarReactionMessageSchema, type ReactionMessage } from '@tandem/shared';
import { RoomEvent, type RemoteParticipant } from 'livekit-client';
import { useEffect, useState } from 'react';
import { useMeeting } from '../collab/MeetingCollab.tsx';
import { useT } from '../i18n/useT.ts';
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
  const t = useT();
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
    <div className="audience-reactions" aria-label={t('webinar.reactions.label')}>
      {shown.map((r) => (
        <span
          key={r.id}
          className="audience-reaction"
          role="img"
          aria-label={t('webinar.reactions.one', { emoji: r.emoji })}
        >
          {r.emoji}
        </span>
      ))}
    </div>
  );
}

/** Hosts take the webinar on air; until then the attendees wait, and the hosts see how many. */
function GoLive() {
  const t = useT();
  const { goLive } = useWebinar();
  const waiting = useMeeting((s) => s.waiting.length);
  const [run, state] = useAsyncAction(async () => {
    if (!(await goLive())) throw new Error(t('webinar.goLive.failed'));
  });
  return (
    <>
      <span>{t('webinar.goLive.waiting', { count: waiting })}</span>
      <button type="button" className="button button-primary" disabled={state.busy} onClick={() => void run()}>
        {t('webinar.goLive')}
      </button>
    </>
  );
}

/**
 * A webinar's state in the call header: the backstage (panelists only, attendees wait), on air, or
 * what an attendee may do. Nothing in a meeting.
 */
export function WebinarBanner() {
  const t = useT();
  const { meeting, seat } = useWebinar();
  if (seat === null) return null;
  const live = meeting.webinar?.liveSince != null;
  return (
    <div className="webinar-status" data-stage={live ? 'live' : 'backstage'} role="status">
      <span className="webinar-badge">{live ? t('webinar.badge.live') : t('webinar.badge.backstage')}</span>
      {seat === 'attendee' ? (
        <span>{t('webinar.banner.attendee')}</span>
      ) : live ? (
        <span>{t('webinar.banner.live')}</span>
      ) : (
        <span>{t('webinar.banner.backstage')}</span>
      )}
      {seat === 'host' && !live ? <GoLive /> : null}
      <AudienceReactions />
    </div>
  );
}
