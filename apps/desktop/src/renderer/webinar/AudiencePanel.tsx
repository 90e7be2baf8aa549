import type { Participant } from '@tandem/shared';
import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { useT } from '../i18n/useT.ts';
import { useLoad } from '../ui/useLoad.ts';
import { useWebinar } from './WebinarContext.tsx';

/** How often the hosts' list of the audience is read again (LiveKit tells nobody of hidden people). */
const REFRESH_MS = 5000;

function AudienceRow({ person, onStage }: { readonly person: Participant; readonly onStage: boolean }) {
  const t = useT();
  const { setPanelist } = useWebinar();
  const [busy, setBusy] = useState(false);
  const userId = person.userId ?? person.identity;
  const toggle = async () => {
    setBusy(true);
    await setPanelist(userId, !onStage);
    setBusy(false);
  };
  return (
    <li className="person">
      <span className="person-name">{person.name || person.identity}</span>
      <button
        type="button"
        className="button"
        disabled={busy}
        aria-label={
          onStage
            ? t('webinar.audience.backLabel', { name: person.name })
            : t('webinar.audience.onStageLabel', { name: person.name })
        }
        onClick={() => void toggle()}
      >
        {onStage ? t('webinar.audience.back') : t('webinar.audience.onStage')}
      </button>
    </li>
  );
}

function HostsAudience() {
  const t = useT();
  const { meeting } = useWebinar();
  const client = useClient();
  const meetingId = meeting.id;
  const load = useCallback(() => client.hostParticipants({ params: { meetingId }, body: {} }), [client, meetingId]);
  const [list, reload] = useLoad(load);
  useEffect(() => {
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  // Someone brought on stage or sent back: the list says so at once.
  const promoted = meeting.webinar?.promoted;
  useEffect(() => {
    void reload();
  }, [promoted, reload]);
  const onStage = (p: Participant): boolean => promoted?.includes(p.userId ?? '') ?? false;
  const audience =
    list.status === 'ready' ? list.value.participants.filter((p) => p.role === 'viewer' || onStage(p)) : [];
  return (
    <section aria-labelledby="audience-title">
      <h2 className="panel-title" id="audience-title">
        {t('webinar.audience.title', { count: audience.filter((p) => !onStage(p)).length })}
      </h2>
      {list.status === 'failed' ? (
        <p className="error" role="alert">
          {list.message}
        </p>
      ) : null}
      <ul className="people">
        {audience.map((p) => (
          <AudienceRow key={p.identity} person={p} onStage={onStage(p)} />
        ))}
      </ul>
    </section>
  );
}

/**
 * A webinar's audience, for its hosts: who watches now (the server's list: attendees are hidden in
 * the room), each to bring on stage, and those brought on stage to send back. Nothing for others.
 */
export function AudiencePanel() {
  const { seat } = useWebinar();
  return seat === 'host' ? <HostsAudience /> : null;
}
