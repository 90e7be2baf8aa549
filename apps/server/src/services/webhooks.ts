import type { Meeting, User } from '@tandem/shared';
import type { Livekit, RoomWebhook } from '../livekit/index.ts';
import type { Store } from '../store/index.ts';
import { unauthenticated } from './errors.ts';
import { meetingOfBreakoutRoom } from './breakouts.ts';
import { meetingOfRoom } from './meetings.ts';
import type { PresenceService } from './presence.ts';

/** What the other services hear from LiveKit's webhooks, and ask of them. */
export type WebhookListeners = {
  readonly lifecycle?: MeetingLifecycle;
  readonly phoneCallEnded?: PhoneCallEnded;
  /** A phone call (livekit-sip's participant) entered the meeting's room. */
  readonly phoneCallJoined?: (meeting: Meeting) => void;
  /** Whether `identity` may be in the meeting's breakout room `room` now (BreakoutService.admits). */
  readonly breakoutAdmits?: (meeting: Meeting, identity: string, room: string) => Promise<boolean>;
};

/** How long a handled webhook's id is remembered: far longer than LiveKit goes on delivering one again. */
const HANDLED_MEMORY_MS = 24 * 60 * 60 * 1000;
/** How often the ids older than that are forgotten. */
export const HANDLED_SWEEP_MS = 60 * 60 * 1000;

/** Someone who joined a meeting's room, as LiveKit's webhook or its participant list tells. */
type Joined = Pick<Extract<RoomWebhook, { readonly identity: string }>, 'identity' | 'room' | 'at' | 'phone'>;

/** A meeting's room started or finished: what outgoing webhooks announce as `meeting.started`/`ended`. */
export type MeetingLifecycle = (event: 'meeting.started' | 'meeting.ended', meeting: Meeting) => void;

/** A phone call left a meeting's room (hung up, or removed): its account for the call may end with it. */
export type PhoneCallEnded = (organisationId: string, userId: string) => Promise<void>;

/**
 * Records what LiveKit reports: room lifecycle, attendance, and presence. A participant whose
 * lobby entry is denied or removed is dropped again at once, so an old token cannot bring them back;
 * so is one who brings a breakout room's token to a room they may no longer be in.
 * A room starting or finishing is the one place a meeting starts or ends (a host ending it ends
 * its room), so `lifecycle` hears of it here.
 */
export function webhookService(
  store: Store,
  livekit: Livekit,
  presence: PresenceService,
  {
    lifecycle = () => undefined,
    phoneCallEnded = async () => undefined,
    phoneCallJoined = () => undefined,
    breakoutAdmits = async () => true,
  }: WebhookListeners = {},
) {
  /**
   * `identity` left the meeting's room at `at`: LiveKit said so (participant_left), or
   * reconciliation found them gone, which passes `joinedBy` so that a visit begun after it (a
   * join LiveKit may not list yet) stays open, and with it their presence in the meeting.
   * Presence and the phone call end before the visits close: should this stop half-way, the
   * visits still open bring reconciliation back to finish it (and LiveKit's webhook, `hook`, is
   * recorded as handled only with the visits' closing).
   */
  async function participantLeft(
    meeting: Meeting,
    identity: string,
    at: string,
    phone: boolean,
    { joinedBy, hook }: { readonly joinedBy?: string; readonly hook?: string } = {},
  ): Promise<void> {
    const user = await store.identity.getUser(meeting.organisationId, identity);
    const stays = joinedBy !== undefined && (await store.activity.visitingSince(meeting.id, identity, joinedBy));
    if (user !== undefined && !stays) {
      await presence.leftMeeting(meeting.organisationId, user.id, meeting.id);
      if (phone) await phoneCallEnded(meeting.organisationId, user.id);
    }
    await store.activity.left(meeting.id, identity, at, { joinedBy, hook });
  }

  /**
   * The meeting's room started or finished at `at` (room_started, room_finished; reconciliation
   * finishes a room LiveKit no longer holds): recorded, the meeting live or back to scheduled, and
   * `lifecycle` told, unless LiveKit's webhook `hook` was handled already or the meeting is gone.
   */
  async function roomChanged(
    meeting: Meeting,
    kind: 'room_started' | 'room_finished',
    at: string,
    hook?: string,
  ): Promise<void> {
    // With its outgoing webhooks, in one transaction: exactly the room changes that commit are announced.
    const now = await store.meetings.roomChanged(meeting.id, kind, at, hook);
    if (now !== undefined) lifecycle(kind === 'room_started' ? 'meeting.started' : 'meeting.ended', now);
  }

  /**
   * Someone joined the meeting's room (LiveKit said so, or reconciliation found them there with
   * no visit): refused (removed again) if they may not be there, else in the meeting for
   * presence; then the visit recorded, with LiveKit's webhook `hook` as handled. What comes
   * before the visit is safe to do again, should the handling stop before it.
   */
  async function participantJoined(meeting: Meeting, joined: Joined, hook?: string): Promise<void> {
    const user = await store.identity.getUser(meeting.organisationId, joined.identity);
    if (user === undefined) {
      // A call placed into the room (dial-out, the audio bridge, which is nobody's account)
      // starts the meeting's transcriber as an app's join does.
      if (joined.phone) phoneCallJoined(meeting);
    } else if (await refused(meeting, user)) {
      await livekit.remove(joined.room, joined.identity);
    } else {
      await presence.enteredMeeting(meeting.organisationId, user.id, meeting.id);
      if (joined.phone) phoneCallJoined(meeting);
    }
    const at = joined.at.toISOString();
    await store.activity.joined(meeting.id, joined.identity, user?.id ?? null, at, { phone: joined.phone, hook });
  }

  /**
   * Whether `user` may not be in the meeting's room: a LiveKit token outlives a deactivation or a
   * lobby denial by up to its TTL, and while their breakout room is open a main-room token minted
   * before cannot bring them back.
   */
  async function refused(meeting: Meeting, user: User): Promise<boolean> {
    if (user.status === 'deactivated') return true;
    const entry = await store.meetings.entryOf(meeting.id, user.id);
    if (entry?.status === 'denied' || entry?.status === 'removed') return true;
    return (await store.collab.breakouts.openRoomOf(meeting.id, user.id)) !== undefined;
  }

  return {
    participantLeft,
    participantJoined,
    roomStarted: (meeting: Meeting, at: string): Promise<void> => roomChanged(meeting, 'room_started', at),
    /** Forgets the webhooks handled long ago (a leased job's work). */
    forgetHandled: (): Promise<void> =>
      store.activity.forgetHandled(new Date(Date.now() - HANDLED_MEMORY_MS).toISOString()),
    roomFinished: (meeting: Meeting, at: string): Promise<void> => roomChanged(meeting, 'room_finished', at),
    /** Only a body signed with our API secret is believed; anything else is unauthenticated. */
    async receive(body: string, authorization: string | undefined): Promise<void> {
      let hook: RoomWebhook;
      try {
        hook = await livekit.receiveWebhook(body, authorization);
      } catch (e) {
        throw unauthenticated(`webhook signature or body is not valid: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (hook.kind === 'ignored') return;
      // LiveKit delivers again what it thinks was not received, perhaps to another instance. A
      // webhook counts as handled once its handling's last write commits, which records its id:
      // one delivered again after that is skipped; one whose handling failed or stopped half-way
      // is handled again (what comes before that write is safe to repeat).
      if (await store.activity.handled(hook.id)) return;
      const breakoutOf = meetingOfBreakoutRoom(hook.room);
      if (breakoutOf !== undefined) {
        if (hook.kind !== 'participant_joined') return;
        const meeting = await store.meetings.getForRoom(breakoutOf);
        if (meeting === undefined || !(await breakoutAdmits(meeting, hook.identity, hook.room)))
          await livekit.remove(hook.room, hook.identity);
        return store.activity.markHandled(hook.id);
      }
      const meetingId = meetingOfRoom(hook.room);
      const meeting = meetingId === undefined ? undefined : await store.meetings.getForRoom(meetingId);
      if (meeting === undefined) return;
      const at = hook.at.toISOString();
      switch (hook.kind) {
        case 'room_started':
        case 'room_finished':
          return roomChanged(meeting, hook.kind, at, hook.id);
        case 'participant_joined':
          return participantJoined(meeting, hook, hook.id);
        case 'screen_share_started':
        case 'screen_share_stopped': {
          const user = await store.identity.getUser(meeting.organisationId, hook.identity);
          if (user !== undefined)
            await presence.presenting(
              meeting.organisationId,
              user.id,
              meeting.id,
              hook.kind === 'screen_share_started',
            );
          return store.activity.markHandled(hook.id);
        }
        case 'participant_left':
          return participantLeft(meeting, hook.identity, at, hook.phone, { hook: hook.id });
        default: {
          const never: never = hook;
          throw new Error(`unhandled webhook ${JSON.stringify(never)}`);
        }
      }
    },
  };
}

export type WebhookService = ReturnType<typeof webhookService>;
