import type { HandQueue, Meeting } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { type Caller, nowIso } from './context.ts';
import { forbidden } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import type { Realtime } from './realtime.ts';

/** The hand-raise queue: server-ordered by raise time, then arrival; every change reaches the audience. */
export function handService(store: Store, realtime: Realtime, access: MeetingAccess) {
  async function changed(meeting: Meeting): Promise<HandQueue> {
    const hands = await store.collab.hands.list(meeting.id);
    realtime.toUsers(await access.audience(meeting), { type: 'hands.changed', meetingId: meeting.id, hands });
    return { meetingId: meeting.id, hands };
  }

  return {
    async list(caller: Caller, meetingId: string): Promise<HandQueue> {
      const meeting = await access.meeting(caller, meetingId);
      return { meetingId: meeting.id, hands: await store.collab.hands.list(meeting.id) };
    },

    async raise(caller: Caller, meetingId: string): Promise<HandQueue> {
      const meeting = await access.asParticipant(caller, meetingId);
      await store.collab.hands.raise(meeting.id, caller.user.id, nowIso());
      return changed(meeting);
    },

    async lower(caller: Caller, meetingId: string, userId: string | undefined): Promise<HandQueue> {
      const meeting = await access.asParticipant(caller, meetingId);
      const whose = userId ?? caller.user.id;
      if (whose !== caller.user.id && !access.isHost(caller.user, meeting))
        throw forbidden("only hosts lower someone else's hand");
      await store.collab.hands.lower(meeting.id, whose);
      return changed(meeting);
    },

    async lowerAll(caller: Caller, meetingId: string): Promise<HandQueue> {
      const meeting = await access.asHost(caller, meetingId);
      await store.collab.hands.lowerAll(meeting.id);
      return changed(meeting);
    },
  };
}

export type HandService = ReturnType<typeof handService>;
