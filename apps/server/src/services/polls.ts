import type { CreatePollRequest, Meeting, Poll, PollStatus, VotePollRequest } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { type Caller, newId, nowIso } from './context.ts';
import { badRequest, conflict, found } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import type { Realtime } from './realtime.ts';

type CreateInput = Required<CreatePollRequest>;

/** Polls of a meeting: hosts create, open and close; participants vote once; results go out live. */
export function pollService(store: Store, realtime: Realtime, access: MeetingAccess) {
  async function publish(caller: Caller, meeting: Meeting, pollId: string): Promise<Poll> {
    const poll = found(await store.collab.polls.get(caller.user.organisationId, meeting.id, pollId), 'poll');
    realtime.toUsers(await access.audience(meeting), { type: 'poll.changed', poll });
    return poll;
  }

  async function move(caller: Caller, meetingId: string, pollId: string, from: PollStatus, to: PollStatus) {
    const meeting = await access.asHost(caller, meetingId);
    const poll = found(await store.collab.polls.get(caller.user.organisationId, meeting.id, pollId), 'poll');
    if (!(await store.collab.polls.transition(poll.id, from, to, nowIso())))
      throw conflict(`the poll is ${poll.status}, not ${from}`);
    return publish(caller, meeting, poll.id);
  }

  return {
    async list(caller: Caller, meetingId: string): Promise<Poll[]> {
      const meeting = await access.meeting(caller, meetingId);
      return store.collab.polls.list(caller.user.organisationId, meeting.id);
    },

    async create(caller: Caller, meetingId: string, req: CreateInput): Promise<Poll> {
      const meeting = await access.asHost(caller, meetingId);
      const id = newId();
      await store.collab.polls.insert({
        id,
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        question: req.question,
        options: req.options,
        multiple: req.multiple,
        anonymous: req.anonymous,
        status: req.open ? 'open' : 'draft',
        createdBy: caller.user.id,
        createdAt: nowIso(),
      });
      return publish(caller, meeting, id);
    },

    open: (caller: Caller, meetingId: string, pollId: string): Promise<Poll> =>
      move(caller, meetingId, pollId, 'draft', 'open'),

    close: (caller: Caller, meetingId: string, pollId: string): Promise<Poll> =>
      move(caller, meetingId, pollId, 'open', 'closed'),

    async vote(caller: Caller, meetingId: string, pollId: string, req: VotePollRequest): Promise<Poll> {
      const meeting = await access.asParticipant(caller, meetingId);
      const poll = found(await store.collab.polls.get(caller.user.organisationId, meeting.id, pollId), 'poll');
      if (req.options.some((o) => o >= poll.options.length))
        throw badRequest(`options are numbered 0 to ${poll.options.length - 1}`);
      if (!poll.multiple && req.options.length !== 1) throw badRequest('this poll takes exactly one option');
      const outcome = await store.collab.polls.vote(poll.id, caller.user.id, req.options);
      switch (outcome) {
        case 'voted':
          return publish(caller, meeting, poll.id);
        case 'already_voted':
          throw conflict('you already voted in this poll');
        case 'not_open':
          throw conflict('the poll is not open');
        default: {
          const never: never = outcome;
          throw new Error(`unhandled vote outcome ${String(never)}`);
        }
      }
    },
  };
}

export type PollService = ReturnType<typeof pollService>;
