import type { Meeting, Question } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { type Caller, newId, nowIso } from './context.ts';
import { forbidden, found } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import type { Realtime } from './realtime.ts';

/** Q&A of a meeting: participants ask and upvote, hosts answer; every change reaches the audience. */
export function qnaService(store: Store, realtime: Realtime, access: MeetingAccess) {
  const get = async (caller: Caller, meeting: Meeting, questionId: string): Promise<Question> =>
    found(await store.collab.questions.get(caller.user.organisationId, meeting.id, questionId), 'question');

  async function publish(caller: Caller, meeting: Meeting, questionId: string): Promise<Question> {
    const question = await get(caller, meeting, questionId);
    realtime.toUsers(await access.audience(meeting), { type: 'question.changed', question });
    return question;
  }

  return {
    async list(caller: Caller, meetingId: string): Promise<Question[]> {
      const meeting = await access.meeting(caller, meetingId);
      return store.collab.questions.list(caller.user.organisationId, meeting.id);
    },

    async ask(caller: Caller, meetingId: string, text: string): Promise<Question> {
      const meeting = await access.asParticipant(caller, meetingId);
      const id = newId();
      await store.collab.questions.insert({
        id,
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        authorId: caller.user.id,
        text,
        createdAt: nowIso(),
      });
      return publish(caller, meeting, id);
    },

    async upvote(caller: Caller, meetingId: string, questionId: string, up: boolean): Promise<Question> {
      const meeting = await access.asParticipant(caller, meetingId);
      const question = await get(caller, meeting, questionId);
      await store.collab.questions.vote(question.id, caller.user.id, up, nowIso());
      return publish(caller, meeting, question.id);
    },

    async answer(caller: Caller, meetingId: string, questionId: string, answer: string): Promise<Question> {
      const meeting = await access.asHost(caller, meetingId);
      const question = await get(caller, meeting, questionId);
      await store.collab.questions.mark(question.id, true, answer, nowIso());
      return publish(caller, meeting, question.id);
    },

    async markAnswered(caller: Caller, meetingId: string, questionId: string, answered: boolean): Promise<Question> {
      const meeting = await access.asParticipant(caller, meetingId);
      const question = await get(caller, meeting, questionId);
      if (question.authorId !== caller.user.id && !access.isHost(caller.user, meeting))
        throw forbidden('only hosts or the author mark a question');
      await store.collab.questions.mark(question.id, answered, undefined, nowIso());
      return publish(caller, meeting, question.id);
    },
  };
}

export type QnaService = ReturnType<typeof qnaService>;
