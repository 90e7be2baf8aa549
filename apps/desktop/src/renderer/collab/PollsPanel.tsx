import { POLL_LIMITS, type Poll } from '@tandem/shared';
import { useId, useState, type FormEvent } from 'react';
import { useMeeting, useMeetingActions, useSelf } from './MeetingCollab.tsx';
import { useT } from '../i18n/useT.ts';

function PollResults({ poll }: { readonly poll: Poll }) {
  const t = useT();
  const total = Math.max(
    1,
    poll.options.reduce((sum, o) => sum + o.votes, 0),
  );
  return (
    <ul className="poll-results" aria-label={t('collab.poll.results', { question: poll.question })}>
      {poll.options.map((option, i) => (
        <li key={i} className="poll-result" data-votes={option.votes}>
          <span className="poll-result-text">{option.text}</span>
          <span className="poll-bar" aria-hidden="true">
            <span style={{ width: `${(option.votes / total) * 100}%` }} />
          </span>
          <span className="poll-count">{t('collab.poll.votes', { count: option.votes })}</span>
        </li>
      ))}
    </ul>
  );
}

function PollCard({ poll }: { readonly poll: Poll }) {
  const t = useT();
  const { userId, isHost } = useSelf();
  const { vote, closePoll } = useMeetingActions();
  const [chosen, setChosen] = useState<readonly number[]>([]);
  const name = useId();
  // Anonymous polls never say who voted; there we remember our own vote for this session only.
  const [votedHere, setVotedHere] = useState(false);
  const voted = votedHere || poll.options.some((o) => o.voterIds?.includes(userId) ?? false);
  const canVote = poll.status === 'open' && !voted;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (chosen.length > 0 && (await vote(poll.id, chosen))) setVotedHere(true);
  };
  return (
    <article className="poll" aria-label={t('collab.poll', { question: poll.question })} data-status={poll.status}>
      <h3>{poll.question}</h3>
      <p className="collab-meta">
        {t('collab.poll.meta', {
          multiple: poll.multiple,
          anonymous: poll.anonymous,
          voters: poll.voterCount,
          status: poll.status,
        })}
      </p>
      {canVote ? (
        <form onSubmit={(e) => void submit(e)}>
          <fieldset>
            <legend className="visually-hidden">{poll.question}</legend>
            {poll.options.map((option, i) => (
              <label key={i} className="poll-option">
                <input
                  type={poll.multiple ? 'checkbox' : 'radio'}
                  name={name}
                  checked={chosen.includes(i)}
                  onChange={(e) =>
                    setChosen(poll.multiple ? (e.target.checked ? [...chosen, i] : chosen.filter((c) => c !== i)) : [i])
                  }
                />
                {option.text}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="button button-primary" disabled={chosen.length === 0}>
            {t('collab.poll.vote')}
          </button>
        </form>
      ) : null}
      <PollResults poll={poll} />
      {isHost && poll.status === 'open' ? (
        <button type="button" className="link-button" onClick={() => void closePoll(poll.id)}>
          {t('collab.poll.close')}
        </button>
      ) : null}
    </article>
  );
}

function NewPoll() {
  const t = useT();
  const { createPoll } = useMeetingActions();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState<readonly string[]>(['', '']);
  const [multiple, setMultiple] = useState(false);
  const [anonymous, setAnonymous] = useState(false);
  const filled = options.map((o) => o.trim()).filter((o) => o !== '');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await createPoll({ question: question.trim(), options: filled, multiple, anonymous, open: true })) {
      setQuestion('');
      setOptions(['', '']);
    }
  };
  return (
    <form className="collab-form" aria-label={t('collab.poll.new')} onSubmit={(e) => void submit(e)}>
      <label>
        {t('collab.poll.question')}
        <input value={question} maxLength={POLL_LIMITS.questionChars} onChange={(e) => setQuestion(e.target.value)} />
      </label>
      {options.map((option, i) => (
        <label key={i}>
          {t('collab.poll.option', { number: i + 1 })}
          <input
            value={option}
            maxLength={POLL_LIMITS.optionChars}
            onChange={(e) => setOptions(options.map((o, j) => (j === i ? e.target.value : o)))}
          />
        </label>
      ))}
      {options.length < POLL_LIMITS.options ? (
        <button type="button" className="link-button" onClick={() => setOptions([...options, ''])}>
          {t('collab.poll.addOption')}
        </button>
      ) : null}
      <label className="collab-check">
        <input type="checkbox" checked={multiple} onChange={(e) => setMultiple(e.target.checked)} />
        {t('collab.poll.multiple')}
      </label>
      <label className="collab-check">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
        {t('collab.poll.anonymous')}
      </label>
      <button type="submit" className="button button-primary" disabled={question.trim() === '' || filled.length < 2}>
        {t('collab.poll.start')}
      </button>
    </form>
  );
}

/** Polls of the meeting with live results; hosts create and close them. */
export function PollsPanel() {
  const t = useT();
  const { isHost } = useSelf();
  const polls = useMeeting((s) => s.polls);
  return (
    <section className="collab-panel" aria-labelledby="polls-title">
      <h2 id="polls-title">{t('collab.panel.polls')}</h2>
      {polls.length === 0 ? <p className="collab-empty">{t('collab.poll.none')}</p> : null}
      {[...polls].reverse().map((poll) => (
        <PollCard key={poll.id} poll={poll} />
      ))}
      {isHost ? (
        // Open while there is no poll yet; afterwards the results come first and the form folds away.
        <details className="collab-details" open={polls.length === 0}>
          <summary>{t('collab.poll.new')}</summary>
          <NewPoll />
        </details>
      ) : null}
    </section>
  );
}
