import type { Question } from '@tandem/shared';
import { useState, type FormEvent } from 'react';
import { useMeeting, useMeetingActions, useSelf } from './MeetingCollab.tsx';

function QuestionCard({ question }: { readonly question: Question }) {
  const { userId, isHost } = useSelf();
  const { upvote, answer, markAnswered } = useMeetingActions();
  const [reply, setReply] = useState('');
  const mine = question.voterIds.includes(userId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await answer(question.id, reply.trim())) setReply('');
  };
  return (
    <li className="question" data-answered={question.answered} aria-label={`Question: ${question.text}`}>
      <p className="question-text">{question.text}</p>
      <p className="collab-meta">
        {question.authorName} · {question.votes} {question.votes === 1 ? 'upvote' : 'upvotes'}
        {question.answered ? ' · answered' : ''}
      </p>
      {question.answer === null ? null : <p className="question-answer">{question.answer}</p>}
      <div className="collab-actions">
        <button type="button" className="chip" aria-pressed={mine} onClick={() => void upvote(question.id, !mine)}>
          {mine ? 'Remove upvote' : 'Upvote'}
        </button>
        {isHost || question.authorId === userId ? (
          <button
            type="button"
            className="link-button"
            onClick={() => void markAnswered(question.id, !question.answered)}
          >
            {question.answered ? 'Mark open' : 'Mark answered'}
          </button>
        ) : null}
      </div>
      {isHost && question.answer === null ? (
        <form className="collab-inline" onSubmit={(e) => void submit(e)}>
          <label>
            Answer
            <input value={reply} onChange={(e) => setReply(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={reply.trim() === ''}>
            Send answer
          </button>
        </form>
      ) : null}
    </li>
  );
}

/** Questions for the hosts: ask, upvote, answer, mark answered; most upvoted first. */
export function QnaPanel() {
  const questions = useMeeting((s) => s.questions);
  const { ask } = useMeetingActions();
  const [text, setText] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await ask(text.trim())) setText('');
  };
  return (
    <section className="collab-panel" aria-labelledby="qna-title">
      <h2 id="qna-title">Q&amp;A</h2>
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
            <QuestionCard key={q.id} question={q} />
          ))}
        </ol>
      )}
    </section>
  );
}
