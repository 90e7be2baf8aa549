import type { Question } from '@tandem/shared';
import { useState, type FormEvent } from 'react';
import { useWebinar } from '../webinar/WebinarContext.tsx';
import { useMeeting, useMeetingActions, useSelf } from './MeetingCollab.tsx';
import { useT } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/locales/en.ts';

/** What a question's tag says about where it stands, for those who see it so. */
const TAGS: Readonly<Record<Question['moderation'], MessageId | null>> = {
  pending: 'collab.qna.pending',
  dismissed: 'collab.qna.dismissed',
  published: null,
};

function QuestionCard({ question, runs }: { readonly question: Question; readonly runs: boolean }) {
  const t = useT();
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
      aria-label={t('collab.qna.question', { text: question.text })}
    >
      <p className="question-text">
        {question.text}
        {tag === null ? null : <span className="question-tag">{t(tag)}</span>}
      </p>
      <p className="collab-meta">
        {question.authorName} · {t('collab.qna.meta', { votes: question.votes, answered: question.answered })}
      </p>
      {question.answer === null ? null : (
        <p className="question-answer">
          {question.answerPrivate ? `${t('collab.qna.private')} ` : ''}
          {question.answer}
        </p>
      )}
      <div className="collab-actions">
        <button type="button" className="chip" aria-pressed={mine} onClick={() => void upvote(question.id, !mine)}>
          {t(mine ? 'collab.qna.unvote' : 'collab.qna.upvote')}
        </button>
        {runs && question.moderation !== 'published' ? (
          <button type="button" className="chip" onClick={() => void moderate(question.id, 'published')}>
            {t('collab.qna.publish')}
          </button>
        ) : null}
        {runs && question.moderation === 'pending' ? (
          <button type="button" className="chip" onClick={() => void moderate(question.id, 'dismissed')}>
            {t('notes.dismiss')}
          </button>
        ) : null}
        {runs || question.authorId === userId ? (
          <button
            type="button"
            className="link-button"
            onClick={() => void markAnswered(question.id, !question.answered)}
          >
            {t(question.answered ? 'collab.qna.markOpen' : 'collab.qna.markAnswered')}
          </button>
        ) : null}
      </div>
      {runs && question.answer === null ? (
        <form className="collab-inline" onSubmit={(e) => void submit(e)}>
          <label>
            {t('collab.qna.answer')}
            <input value={reply} onChange={(e) => setReply(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={privately} onChange={(e) => setPrivately(e.target.checked)} />
            {t('collab.qna.onlyTo', { name: question.authorName })}
          </label>
          <button type="submit" className="button" disabled={reply.trim() === ''}>
            {t('collab.qna.send')}
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
  const t = useT();
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
      <h2 id="qna-title">{t('collab.panel.qna')}</h2>
      {seat === 'attendee' ? <p className="collab-meta">{t('collab.qna.attendee')}</p> : null}
      {runs && seat !== null && pending > 0 ? (
        <p className="collab-meta" role="status">
          {t('collab.qna.awaiting', { count: pending })}
        </p>
      ) : null}
      <form className="collab-inline" onSubmit={(e) => void submit(e)}>
        <label>
          {t('collab.qna.yours')}
          <input value={text} maxLength={1000} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" className="button button-primary" disabled={text.trim() === ''}>
          {t('collab.qna.ask')}
        </button>
      </form>
      {questions.length === 0 ? (
        <p className="collab-empty">{t('collab.qna.none')}</p>
      ) : (
        <ol className="collab-list" aria-label={t('collab.qna.questions')}>
          {questions.map((q) => (
            <QuestionCard key={q.id} question={q} runs={runs} />
          ))}
        </ol>
      )}
    </section>
  );
}
