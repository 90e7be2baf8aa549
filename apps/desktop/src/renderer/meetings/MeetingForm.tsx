import { PRODUCT, seriesRefusal, type LinkedMeeting, type Meeting, type ProviderId, type User } from '@tandem/shared';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useT, type Translate } from '../i18n/useT.ts';
import { useLinkedController } from '../linked/LinkedContext.ts';
import { providerName } from '../linked/names.ts';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { errorText } from '../ui/errorText.ts';
import { PeoplePicker } from '../ui/PeoplePicker.tsx';
import { ParticipantSuggestions } from './ParticipantSuggestions.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import {
  DURATIONS_MINUTES,
  draftFor,
  localZone,
  recurrenceDraftFor,
  recurrenceOf,
  scheduleTimes,
  type RecurrenceDraft,
  type ScheduleDraft,
} from './meetingSchedule.ts';
import { RecurrenceEditor } from './RecurrenceEditor.tsx';
import { usePeopleController } from '../people/people.ts';

export type PeopleLoad =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly people: readonly User[] }
  | { readonly status: 'failed'; readonly message: string };

/** The organisation's people from the server, for the invitation field (online only, like saving). */
export function useOrganisationPeople(): PeopleLoad {
  const controller = usePeopleController();
  const [load, setLoad] = useState<PeopleLoad>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    controller.list().then(
      (people) => current && setLoad({ status: 'ready', people }),
      (e: unknown) => current && setLoad({ status: 'failed', message: errorText(e) }),
    );
    return () => {
      current = false;
    };
  }, [controller]);
  return load;
}

/** Every zone the runtime knows, the computer's own first among them as it sorts. */
const ZONES: readonly string[] = (() => {
  const all = Intl.supportedValuesOf('timeZone');
  return all.includes('UTC') ? all : ['UTC', ...all];
})();

/** The provider account that makes each kind of linked meeting. */
const MAKER: Readonly<Record<Exclude<LinkedMeeting['provider'], 'tandem'>, ProviderId>> = {
  teams: 'microsoft',
  zoom: 'zoom',
  meet: 'google',
};
type Where = LinkedMeeting['provider'];

/** Tandem, and Teams, Zoom or Meet for each provider this server offers and someone connected. */
function useMeetingApps(): readonly Where[] {
  const linked = useLinkedController();
  const [apps, setApps] = useState<readonly Where[]>(['tandem']);
  useEffect(() => {
    let current = true;
    linked.providers().then(
      (list) => {
        const connected = new Set(list.connections.map((c) => c.provider));
        const offered = new Set(list.providers.filter((p) => p.offered).map((p) => p.provider));
        const usable = (['teams', 'zoom', 'meet'] as const).filter(
          (app) => offered.has(MAKER[app]) && connected.has(MAKER[app]),
        );
        if (current) setApps(['tandem', ...usable]);
      },
      // Without the list, Tandem alone is offered; the form still works.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [linked]);
  return apps;
}

const durationLabel = (minutes: number, t: Translate) =>
  minutes < 60
    ? t('meetings.form.minutes', { minutes })
    : minutes % 60 === 0
      ? t('meetings.form.hours', { hours: minutes / 60 })
      : t('meetings.form.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });

/**
 * Creates a meeting (any time, or at a set time for a length) or edits one: title, who is
 * invited, schedule and the lobby. The date and time are the user's own wall clock; the server
 * stores the instant.
 */
export function MeetingForm({ meeting, onDone }: { readonly meeting?: Meeting; readonly onDone?: () => void }) {
  const controller = useController();
  const linked = useLinkedController();
  const t = useT();
  const apps = useMeetingApps();
  const [where, setWhere] = useState<Where>('tandem');
  const [zone, setZone] = useState(meeting?.timeZone ?? localZone());
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const people = useOrganisationPeople();
  const [invitees, setInvitees] = useState<readonly string[]>(meeting?.invitees ?? []);
  // Anyone active but the organiser; someone deactivated only if the meeting invites them already.
  const invitable = useMemo(() => {
    const ownerId = meeting?.ownerId ?? me;
    const already = new Set(meeting?.invitees);
    return people.status === 'ready'
      ? people.people.filter((p) => p.id !== ownerId && (p.status === 'active' || already.has(p.id)))
      : [];
  }, [people, meeting, me]);
  const [title, setTitle] = useState(meeting?.title ?? '');
  const [scheduled, setScheduled] = useState(meeting?.startsAt != null);
  const [draft, setDraft] = useState<ScheduleDraft>(() => draftFor(meeting, new Date()));
  const [repeat, setRepeat] = useState<RecurrenceDraft>(() => recurrenceDraftFor(meeting, draft.date));
  const [lobby, setLobby] = useState(meeting?.settings.lobby ?? false);
  const [e2ee, setE2ee] = useState(meeting?.settings.e2ee ?? false);
  const [webinar, setWebinar] = useState(meeting?.type === 'webinar');
  const [invalid, setInvalid] = useState<string | undefined>();
  const [save, state] = useAsyncAction(async (times: { startsAt: string; endsAt: string } | null) => {
    const base = {
      title: title.trim(),
      settings: { lobby, e2ee },
      invitees: [...invitees],
      type: webinar ? ('webinar' as const) : ('meeting' as const),
    };
    const recurrence = times === null ? null : recurrenceOf(repeat, draft.date);
    const schedule = times === null ? {} : { ...times, timeZone: zone };
    if (meeting === undefined) {
      // A series the provider cannot keep is refused before anything is created, here or there.
      const refusal = where === 'tandem' || recurrence === null ? null : seriesRefusal(MAKER[where], recurrence);
      if (refusal !== null)
        throw new Error(
          t('meetings.form.seriesRefused', {
            app: providerName(where),
            reason: refusal.reason,
            limit: refusal.reason === 'yearly' ? null : refusal.limit,
            unit: refusal.reason === 'interval' ? refusal.frequency : null,
          }),
        );
      const made = await controller.createMeeting({
        ...base,
        ...schedule,
        ...(recurrence === null ? {} : { recurrence }),
      });
      if (where !== 'tandem') {
        try {
          await linked.create(made.id, MAKER[where]);
        } catch (e) {
          throw new Error(t('meetings.form.linkedFailed', { app: providerName(where), reason: errorText(e) }));
        }
      }
    }
    // Editing to "any time" clears the schedule (and a series).
    else
      await controller.updateMeeting(meeting.id, {
        ...base,
        ...(times === null ? { startsAt: null, endsAt: null } : schedule),
        ...(times === null && meeting.recurrence === null ? {} : { recurrence }),
      });
  });
  const id = useId();
  const durations = DURATIONS_MINUTES.includes(draft.durationMinutes)
    ? DURATIONS_MINUTES
    : [...DURATIONS_MINUTES, draft.durationMinutes].sort((a, b) => a - b);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const times = scheduled ? scheduleTimes(draft, new Date(), zone, t) : null;
    if (times !== null && 'error' in times) {
      setInvalid(times.error);
      return;
    }
    setInvalid(undefined);
    if (await save(times)) {
      if (meeting === undefined) {
        setTitle('');
        setScheduled(false);
        setLobby(false);
        setE2ee(false);
        setWebinar(false);
        setInvitees([]);
        setRepeat(recurrenceDraftFor(undefined, draft.date));
        setWhere('tandem');
      }
      onDone?.();
    }
  };

  const error = invalid ?? state.error;
  return (
    <form className="meeting-form" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('meetings.form.title')}</label>
        <input id={`${id}-title`} value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
      </div>
      {people.status === 'failed' ? (
        <p className="error">{t('meetings.form.peopleFailed', { reason: people.message })}</p>
      ) : (
        <PeoplePicker
          label={webinar ? t('meetings.form.invitePanelists') : t('meetings.form.invitePeople')}
          people={invitable}
          chosen={invitees}
          onChange={setInvitees}
          unknownName={people.status === 'loading' ? t('meetings.form.peopleLoading') : t('meetings.form.unlisted')}
        />
      )}
      <ParticipantSuggestions topic={title} chosen={invitees} onAdd={(id) => setInvitees([...invitees, id])} />
      <fieldset className="choices">
        <legend>{t('meetings.form.when')}</legend>
        <label className="check">
          <input type="radio" name={`${id}-when`} checked={!scheduled} onChange={() => setScheduled(false)} />
          {t('meetings.form.anyTime')}
        </label>
        <label className="check">
          <input type="radio" name={`${id}-when`} checked={scheduled} onChange={() => setScheduled(true)} />
          {t('meetings.form.setTime')}
        </label>
      </fieldset>
      {scheduled ? (
        <div className="schedule-fields">
          <div className="field">
            <label htmlFor={`${id}-date`}>{t('meetings.form.date')}</label>
            <input
              id={`${id}-date`}
              type="date"
              value={draft.date}
              aria-invalid={invalid !== undefined}
              onChange={(e) => setDraft({ ...draft, date: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-time`}>{t('meetings.form.startTime')}</label>
            <input
              id={`${id}-time`}
              type="time"
              value={draft.time}
              aria-invalid={invalid !== undefined}
              onChange={(e) => setDraft({ ...draft, time: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-zone`}>{t('meetings.form.zone')}</label>
            <select id={`${id}-zone`} value={zone} onChange={(e) => setZone(e.target.value)}>
              {ZONES.map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-length`}>{t('meetings.form.length')}</label>
            <select
              id={`${id}-length`}
              value={draft.durationMinutes}
              onChange={(e) => setDraft({ ...draft, durationMinutes: Number(e.target.value) })}
            >
              {durations.map((minutes) => (
                <option key={minutes} value={minutes}>
                  {durationLabel(minutes, t)}
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : null}
      {scheduled ? <RecurrenceEditor value={repeat} onChange={setRepeat} startDate={draft.date} /> : null}
      {meeting === undefined && apps.length > 1 ? (
        <fieldset className="choices meeting-apps">
          <legend>{t('meetings.form.meetIn')}</legend>
          {apps.map((app) => (
            <label key={app} className="check">
              <input type="radio" name={`${id}-where`} checked={where === app} onChange={() => setWhere(app)} />
              {app === 'tandem' ? PRODUCT.productName : t('meetings.form.alsoMade', { app: providerName(app) })}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="check">
        <input id={`${id}-webinar`} type="checkbox" checked={webinar} onChange={(e) => setWebinar(e.target.checked)} />
        <label htmlFor={`${id}-webinar`}>{t('meetings.form.webinar')}</label>
      </div>
      <div className="check">
        <input id={`${id}-lobby`} type="checkbox" checked={lobby} onChange={(e) => setLobby(e.target.checked)} />
        <label htmlFor={`${id}-lobby`}>{t('meetings.form.lobby')}</label>
      </div>
      <div className="check">
        <input id={`${id}-e2ee`} type="checkbox" checked={e2ee} onChange={(e) => setE2ee(e.target.checked)} />
        <label htmlFor={`${id}-e2ee`}>{t('meetings.form.e2ee')}</label>
      </div>
      {error === undefined ? null : (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row form-actions">
        {onDone === undefined || meeting === undefined ? null : (
          <button type="button" className="button" onClick={onDone}>
            {t('meetings.form.close')}
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={state.busy || title.trim() === ''}>
          {state.busy ? t('ui.saving') : meeting === undefined ? t('meetings.form.create') : t('ui.save')}
        </button>
      </div>
    </form>
  );
}
