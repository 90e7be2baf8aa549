import type { ExpertAsk } from '@tandem/shared';
import { useEffect, useId, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { errorText } from '../ui/errorText.ts';
import { ring } from '../ui/ringtone.ts';
import { whatToShow } from './asks.ts';
import './experts.css';

/** Seconds left until `iso` now, the component drawn again each second while anything rings. */
function useSecondsUntil(times: readonly string[]): (iso: string) => number {
  const [, setTick] = useState(0);
  const ticking = times.length > 0;
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return (iso) => Math.max(0, Math.ceil((Date.parse(iso) - Date.now()) / 1000));
}

/**
 * Asks for an expert (issue 18), wherever one is in the app: one ringing the user, with Answer
 * (into the page's room, through pre-join) and Decline, until it stops ringing; and the user's own
 * ask once someone answered it, with the room to join.
 */
export function ExpertAsks() {
  const client = useClient();
  const self = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : null));
  const [asks, setAsks] = useState<ReadonlyMap<string, ExpertAsk>>(new Map());
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => client.onExpertAsk(({ ask }) => setAsks((before) => new Map(before).set(ask.id, ask))), [client]);
  const secondsUntil = useSecondsUntil(
    [...asks.values()].filter((a) => a.status === 'ringing').map((a) => a.ringUntil),
  );
  if (self === null) return null;
  const shown = whatToShow([...asks.values()], self, dismissed, (a) => secondsUntil(a.ringUntil) > 0);
  if (shown.length === 0) return null;
  const dismiss = (id: string) => setDismissed((before) => new Set(before).add(id));
  return (
    <div className="expert-asks">
      {shown.map(({ ask, as }) =>
        as === 'ringing' ? (
          <Ringing key={ask.id} ask={ask} seconds={secondsUntil(ask.ringUntil)} onDone={() => dismiss(ask.id)} />
        ) : (
          <Answered key={ask.id} ask={ask} onDone={() => dismiss(ask.id)} />
        ),
      )}
    </div>
  );
}

function Ringing({
  ask,
  seconds,
  onDone,
}: {
  readonly ask: ExpertAsk;
  readonly seconds: number;
  readonly onDone: () => void;
}) {
  const t = useT();
  const client = useClient();
  const controller = useController();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // It rings aloud until answered, declined or over, unless the user turned notifications off.
  const quiet = useAppStore((s) => s.settings.notifications === 'off');
  useEffect(() => {
    if (quiet) return undefined;
    return ring(new AudioContext(), (Date.parse(ask.ringUntil) - Date.now()) / 1000);
  }, [quiet, ask.ringUntil]);
  const act = (answer: boolean) => {
    setBusy(true);
    setError(null);
    const request = { params: { askId: ask.id }, body: {} };
    (answer ? client.expertsAnswer(request) : client.expertsDecline(request)).then(
      () => {
        onDone();
        if (answer) controller.openJoinLink(ask.meeting.joinCode);
      },
      (e: unknown) => {
        setBusy(false);
        setError(errorText(e));
      },
    );
  };
  return (
    <section
      className="expert-ask card"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-what`}
      data-ask={ask.id}
    >
      <h2 id={`${id}-title`}>{t('experts.ringing.title', { name: ask.askedBy.name, skill: ask.skill })}</h2>
      <p id={`${id}-what`}>
        {ask.note === ''
          ? t('experts.ringing.page', { title: ask.title })
          : t('experts.ringing.pageNote', { title: ask.title, note: ask.note })}
      </p>
      <p className="muted">{t('experts.ringing.seconds', { seconds })}</p>
      {error === null ? null : (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => act(true)}>
          {t('experts.answer')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => act(false)}>
          {t('experts.decline')}
        </button>
      </div>
    </section>
  );
}

function Answered({ ask, onDone }: { readonly ask: ExpertAsk; readonly onDone: () => void }) {
  const t = useT();
  const controller = useController();
  const id = useId();
  return (
    <section className="expert-ask card" role="dialog" aria-labelledby={`${id}-title`} data-ask={ask.id}>
      <h2 id={`${id}-title`}>{t('experts.answered.title', { name: ask.answeredBy?.name ?? '', skill: ask.skill })}</h2>
      <p>{t('experts.answered.page', { title: ask.title })}</p>
      <div className="row">
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            onDone();
            controller.openJoinLink(ask.meeting.joinCode);
          }}
        >
          {t('experts.answered.join')}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t('experts.answered.later')}
        </button>
      </div>
    </section>
  );
}
