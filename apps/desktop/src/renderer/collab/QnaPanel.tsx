import type { Question } from '@tandem/shared';
import { useState, type FormEvent } from 'react';
import { useWebinar } from '../webinar/WebinarContext.tsx';
import { useMeeting, useMeetingActions, useSelf } from './MeetingCollab.tsx';

/** What a question's tag says about where it stands, for those who see it so. */
const TAGS: Readonly<Record<Question['moderation'], string | null>> = {
  pending: 'Awaiting moderation',
  dismissed: 'Dismissed',
  published: null,
};

function QuestionCard({ question, runs }: { readonly question: Question; readonly runs: boolean }) {
  const { userId } = useSelf();
  const { upvote, answer, markAnswered, moderate } = useMeetingActions();
  const [reply, setReply] = useState('');
  const [privately, setPrivately] = useState(false);
  const mine = question.voterIds.includes(userId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await answer(question.id, reply.trim(), privately)) setReply('');
  };
  const tag = TAGS[question.moderation];
  return (
    <li
      className="question"
      data-answered={question.answered}
      data-moderation={question.moderation}
      aria-label={`Question: ${question.text}`}
    >
      <p className="question-text">
        {question.text}
        {tag === null ? null : <span className="question-tag">{tag}</span>}
      </p>
      <p className="collab-meta">
        {question.authorName} · {question.votes} {question.votes === 1 ? 'upvote' : 'upvotes'}
        {question.answered ? ' · answered' : ''}
      </p>
      {question.answer === null ? null : (
        <p className="question-answer">
          {question.answerPrivate ? 'Answered privately: ' : ''}
          {question.answer}
        </p>
      )}
      <div className="collab-actions">
        <button type="button" className="chip" aria-pressed={mine} onClick={() => void upvote(question.id, !mine)}>
          {mine ? 'Remove upvote' : 'Upvote'}
        </button>
        {runs && question.moderation !== 'published' ? (
          <button type="button" className="chip" onClick={() => void moderate(question.id, 'published')}>
            Publish
          </button>
        ) : null}
        {runs && question.moderation === 'pending' ? (
          <button type="button" className="chip" onClick={() => void moderate(question.id, 'dismissed')}>
            Dismiss
          </button>
        ) : null}
        {runs || question.authorId === userId ? (
          <button
            type="button"
            className="link-button"
            onClick={() => void markAnswered(question.id, !question.answered)}
          >
            {question.answered ? 'Mark open' : 'Mark answered'}
          </button>
        ) : null}
      </div>
      {runs && question.answer === null ? (
        <form className="collab-inline" onSubmit={(e) => void submit(e)}>
          <label>
            Answer
            <input value={reply} onChange={(e) => setReply(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={privately} onChange={(e) => setPrivately(e.target.checked)} />
            Only to {question.authorName}
          </label>
          <button type="submit" className="button" disabled={reply.trim() === ''}>
            Send answer
          </button>
        </form>
      ) : null}
    </li>
  );
}

/**
 * Questions for the hosts: ask, upvote, answer, mark answered; most upvoted first. In a webinar
 * its panelists run it too, and an attendee's question waits for them to publish or dismiss it.
 */
export function QnaPanel() {
  const questions = useMeeting((s) => s.questions);
  const { isHost } = useSelf();
  const { seat } = useWebinar();
  const runs = isHost || seat === 'panelist';
  const { ask } = useMeetingActions();
  const [text, setText] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await ask(text.trim())) setText('');
  };
  const pending = questions.filter((q) => q.moderation === 'pending').length;
  return (
    <section className="collab-panel" aria-labelledby="qna-title">
      <h2 id="qna-title">Q&amp;A</h2>
      {seat === 'attendee' ? (
        <p className="collab-meta">The panelists read your question first, then may publish it to everyone.</p>
      ) : null}
      {runs && seat !== null && pending > 0 ? (
        <p className="collab-meta" role="status">
          {pending === 1 ? '1 question awaits moderation.' : `${pending} questions await moderation.`}
        </p>
      ) : null}
      <form className="collab-inline" onSubmit={(e) => void submit(e)}>
        <label>
          Your question
          <input value={text} maxLength={1000} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" className="button button-primary" disabled={text.trim() === ''}>
          Ask
        </button>
      </form>
      {questions.length === 0 ? (
        <p className="collab-empty">No questions yet.</p>
      ) : (
        <ol className="collab-list" aria-label="Questions">
          {questions.map((q) => (
            <QuestionCard key={q.id} question={q} runs={runs} />
          ))}
        </ol>
      )}
    </section>
  );
}
