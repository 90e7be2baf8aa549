import type { AnswerQuestionRequest, Meeting, Question, QuestionModeration } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { type Caller, newId, nowIso } from './context.ts';
import { conflict, forbidden, found, notFound } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import type { Realtime } from './realtime.ts';
import { runsQna } from './webinars.ts';

/**
 * Whether someone sees a question: who runs the Q&A sees every one (the moderation queue too),
 * its author sees their own, everyone else a published one whose answer is not private.
 */
const sees = (q: Question, userId: string, runs: boolean): boolean =>
  runs || q.authorId === userId || (q.moderation === 'published' && !q.answerPrivate);

/**
 * Q&A of a meeting: participants ask and upvote, hosts answer; every change reaches those of the
 * audience who see the question. In a webinar its panelists run it too, and an attendee's
 * question waits in a moderation queue until a panelist publishes or dismisses it; an answer may
 * be for its author only.
 */
export function qnaService(store: Store, realtime: Realtime, access: MeetingAccess) {
  const get = async (caller: Caller, meeting: Meeting, questionId: string): Promise<Question> =>
    found(await store.collab.questions.get(caller.user.organisationId, meeting.id, questionId), 'question');

  const runs = (caller: Caller, meeting: Meeting): boolean =>
    runsQna(meeting, caller.user.id, access.isHost(caller.user, meeting));

  /** A question the caller may not see answers like one that does not exist. */
  async function visible(caller: Caller, meeting: Meeting, questionId: string): Promise<Question> {
    const question = await get(caller, meeting, questionId);
    if (!sees(question, caller.user.id, runs(caller, meeting))) throw notFound('question');
    return question;
  }

  async function asRunner(caller: Caller, meetingId: string): Promise<Meeting> {
    const meeting = await access.asParticipant(caller, meetingId);
    if (!runs(caller, meeting)) throw forbidden('only hosts (and in a webinar its panelists) do this');
    return meeting;
  }

  async function publish(caller: Caller, meeting: Meeting, questionId: string): Promise<Question> {
    const question = await get(caller, meeting, questionId);
    const hosts = await access.hosts(meeting);
    const told = [...(await access.audience(meeting))].filter((id) =>
      sees(question, id, runsQna(meeting, id, hosts.has(id))),
    );
    realtime.toUsers(new Set(told), { type: 'question.changed', question });
    return question;
  }

  return {
    async list(caller: Caller, meetingId: string): Promise<Question[]> {
      const meeting = await access.meeting(caller, meetingId);
      const all = await store.collab.questions.list(caller.user.organisationId, meeting.id);
      const runner = runs(caller, meeting);
      return all.filter((q) => sees(q, caller.user.id, runner));
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
        moderation: meeting.type === 'webinar' && !runs(caller, meeting) ? 'pending' : 'published',
      });
      return publish(caller, meeting, id);
    },

    async upvote(caller: Caller, meetingId: string, questionId: string, up: boolean): Promise<Question> {
      const meeting = await access.asParticipant(caller, meetingId);
      const question = await visible(caller, meeting, questionId);
      await store.collab.questions.vote(question.id, caller.user.id, up, nowIso());
      return publish(caller, meeting, question.id);
    },

    async answer(caller: Caller, meetingId: string, questionId: string, req: AnswerQuestionRequest): Promise<Question> {
      const meeting = await asRunner(caller, meetingId);
      const question = await get(caller, meeting, questionId);
      const answerPrivate = req.private === true;
      // Answered in public, a question waiting in the queue is published with its answer.
      if (question.moderation === 'pending' && !answerPrivate)
        await store.collab.questions.moderate(question.id, 'published');
      await store.collab.questions.mark(question.id, true, { text: req.answer, private: answerPrivate }, nowIso());
      return publish(caller, meeting, question.id);
    },

    async moderate(
      caller: Caller,
      meetingId: string,
      questionId: string,
      moderation: Exclude<QuestionModeration, 'pending'>,
    ): Promise<Question> {
      const meeting = await asRunner(caller, meetingId);
      if (meeting.type !== 'webinar') throw conflict('only a webinar moderates its questions');
      const question = await get(caller, meeting, questionId);
      await store.collab.questions.moderate(question.id, moderation);
      return publish(caller, meeting, question.id);
    },

    async markAnswered(caller: Caller, meetingId: string, questionId: string, answered: boolean): Promise<Question> {
      const meeting = await access.asParticipant(caller, meetingId);
      const question = await visible(caller, meeting, questionId);
      if (question.authorId !== caller.user.id && !runs(caller, meeting))
        throw forbidden('only hosts or the author mark a question');
      await store.collab.questions.mark(question.id, answered, undefined, nowIso());
      return publish(caller, meeting, question.id);
    },
  };
}

export type QnaService = ReturnType<typeof qnaService>;
