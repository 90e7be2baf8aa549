import {
  REACTION_RATE,
  WEBINAR_REACTIONS_TOPIC,
  type Meeting,
  type WebinarReactionMessage,
  type WebinarReactionRequest,
  webinarSeat,
} from '@tandem/shared';
import type { Cluster } from '../cluster/cluster.ts';
import type { Livekit } from '../livekit/index.ts';
import type { Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { auditActor, type Caller, nowIso, personTarget } from './context.ts';
import { ServiceError, conflict, found } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import type { MeetingService } from './meetings.ts';
import { roomOf } from './meetings.ts';

/**
 * Who runs the Q&A of a meeting: its hosts, and in a webinar its panelists too (they see the
 * moderation queue, publish, dismiss and answer).
 */
export const runsQna = (meeting: Meeting, userId: string, host: boolean): boolean =>
  meeting.type === 'webinar' ? webinarSeat(meeting, userId, host) !== 'attendee' : host;

const encoder = new TextEncoder();

/** Webinars: going on air, bringing attendees on stage and back, the audience's reactions. */
export function webinarService(
  store: Store,
  livekit: Livekit,
  meetings: MeetingService,
  access: MeetingAccess,
  audit: AuditService,
  cluster: Pick<Cluster, 'take'>,
) {
  async function webinarAsHost(caller: Caller, meetingId: string): Promise<Meeting> {
    const meeting = await access.asHost(caller, meetingId);
    if (meeting.type !== 'webinar') throw conflict('the meeting is not a webinar');
    return meeting;
  }

  return {
    /**
     * From the backstage on air: the attendees waiting for it are let in (a `lobby.entry` each:
     * their clients join). On air stays on air until the webinar ends.
     */
    async goLive(caller: Caller, meetingId: string): Promise<Meeting> {
      const meeting = await webinarAsHost(caller, meetingId);
      if (meeting.status === 'ended' || meeting.status === 'cancelled')
        throw conflict(`the webinar is ${meeting.status}`);
      if (meeting.webinar?.liveSince != null) throw conflict('the webinar is on air already');
      const live = await meetings.apply(caller, meeting, { liveSince: nowIso() });
      await meetings.admitAll(caller, meeting.id);
      return live;
    },

    /**
     * An attendee on stage (`panelist: true`) or back in the audience: stored first (a rejoin
     * gets the seat), then LiveKit changes the grants of whoever is in the room in place.
     */
    async setPanelist(caller: Caller, meetingId: string, userId: string, panelist: boolean): Promise<Meeting> {
      const meeting = await webinarAsHost(caller, meetingId);
      const person = found(await store.identity.getUser(meeting.organisationId, userId), 'user');
      if (access.isHost(person, meeting) || meeting.invitees.includes(userId))
        throw conflict('hosts and invited panelists are always on stage');
      const entry = await store.meetings.entryOf(meeting.id, userId);
      if (entry?.status !== 'admitted') throw conflict('only an attendee let into the webinar can be brought on stage');
      const changed = await meetings.apply(caller, meeting, { promotion: { userId, panelist } });
      await livekit.setOnStage(roomOf(meeting.id), userId, panelist, meeting.settings.screenShare === 'everyone');
      await audit.record({
        organisationId: meeting.organisationId,
        action: 'webinar.panelist_changed',
        actor: auditActor(caller),
        target: personTarget(person),
        origin: caller.origin,
        detail: { meetingId: meeting.id, meeting: meeting.title, panelist },
      });
      return changed;
    },

    /** Sent into the room by the server, without a sender: attendees publish nothing themselves. */
    async react(caller: Caller, meetingId: string, req: WebinarReactionRequest): Promise<void> {
      const meeting = await access.asParticipant(caller, meetingId);
      if (meeting.type !== 'webinar') throw conflict('the meeting is not a webinar');
      // One bucket per attendee and webinar on every instance (their requests may reach any).
      if (!(await cluster.take(`reaction:${meeting.id}:${caller.user.id}`, REACTION_RATE)))
        throw new ServiceError('rate_limited', 'slow down: a few reactions a second at most');
      const message: WebinarReactionMessage = { t: 'audience-reaction', emoji: req.emoji };
      await livekit.broadcast(
        roomOf(meeting.id),
        WEBINAR_REACTIONS_TOPIC.topic,
        encoder.encode(JSON.stringify(message)),
      );
    },
  };
}

export type WebinarService = ReturnType<typeof webinarService>;
