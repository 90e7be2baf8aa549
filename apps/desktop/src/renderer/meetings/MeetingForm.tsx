import type { Meeting, User } from '@tandem/shared';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { errorText } from '../ui/errorText.ts';
import { PeoplePicker } from '../ui/PeoplePicker.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { DURATIONS_MINUTES, draftFor, scheduleTimes, type ScheduleDraft } from './meetingSchedule.ts';
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

const durationLabel = (minutes: number) =>
  minutes < 60
    ? `${minutes} minutes`
    : minutes % 60 === 0
      ? `${minutes / 60} h`
      : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;

/**
 * Creates a meeting (any time, or at a set time for a length) or edits one: title, who is
 * invited, schedule and the lobby. The date and time are the user's own wall clock; the server
 * stores the instant.
 */
export function MeetingForm({ meeting, onDone }: { readonly meeting?: Meeting; readonly onDone?: () => void }) {
  const controller = useController();
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
  const [lobby, setLobby] = useState(meeting?.settings.lobby ?? false);
  const [e2ee, setE2ee] = useState(meeting?.settings.e2ee ?? false);
  const [invalid, setInvalid] = useState<string | undefined>();
  const [save, state] = useAsyncAction(async (times: { startsAt: string; endsAt: string } | null) => {
    const base = { title: title.trim(), settings: { lobby, e2ee }, invitees: [...invitees] };
    if (meeting === undefined) await controller.createMeeting(times === null ? base : { ...base, ...times });
    // Editing to "any time" clears the schedule.
    else await controller.updateMeeting(meeting.id, { ...base, ...(times ?? { startsAt: null, endsAt: null }) });
  });
  const id = useId();
  const durations = DURATIONS_MINUTES.includes(draft.durationMinutes)
    ? DURATIONS_MINUTES
    : [...DURATIONS_MINUTES, draft.durationMinutes].sort((a, b) => a - b);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const times = scheduled ? scheduleTimes(draft, new Date()) : null;
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
        setInvitees([]);
      }
      onDone?.();
    }
  };

  const error = invalid ?? state.error;
  return (
    <form className="meeting-form" onSubmit={(e) => void submit(e)}>
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input id={`${id}-title`} value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
      </div>
      {people.status === 'failed' ? (
        <p className="error">People to invite could not be loaded: {people.message}</p>
      ) : (
        <PeoplePicker
          label="Invite people"
          people={invitable}
          chosen={invitees}
          onChange={setInvitees}
          unknownName={people.status === 'loading' ? 'Loading…' : 'Someone no longer listed'}
        />
      )}
      <fieldset className="choices">
        <legend>When</legend>
        <label className="check">
          <input type="radio" name={`${id}-when`} checked={!scheduled} onChange={() => setScheduled(false)} />
          Any time (it starts when someone joins)
        </label>
        <label className="check">
          <input type="radio" name={`${id}-when`} checked={scheduled} onChange={() => setScheduled(true)} />
          At a set time
        </label>
      </fieldset>
      {scheduled ? (
        <div className="schedule-fields">
          <div className="field">
            <label htmlFor={`${id}-date`}>Date</label>
            <input
              id={`${id}-date`}
              type="date"
              value={draft.date}
              aria-invalid={invalid !== undefined}
              onChange={(e) => setDraft({ ...draft, date: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-time`}>Start time</label>
            <input
              id={`${id}-time`}
              type="time"
              value={draft.time}
              aria-invalid={invalid !== undefined}
              onChange={(e) => setDraft({ ...draft, time: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-length`}>Length</label>
            <select
              id={`${id}-length`}
              value={draft.durationMinutes}
              onChange={(e) => setDraft({ ...draft, durationMinutes: Number(e.target.value) })}
            >
              {durations.map((minutes) => (
                <option key={minutes} value={minutes}>
                  {durationLabel(minutes)}
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : null}
      <div className="check">
        <input id={`${id}-lobby`} type="checkbox" checked={lobby} onChange={(e) => setLobby(e.target.checked)} />
        <label htmlFor={`${id}-lobby`}>People wait in the lobby until a host lets them in</label>
      </div>
      <div className="check">
        <input id={`${id}-e2ee`} type="checkbox" checked={e2ee} onChange={(e) => setE2ee(e.target.checked)} />
        <label htmlFor={`${id}-e2ee`}>
          End-to-end encrypted (no server recording, captions or dial-in; chat is not kept)
        </label>
      </div>
      {error === undefined ? null : (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row form-actions">
        {onDone === undefined || meeting === undefined ? null : (
          <button type="button" className="button" onClick={onDone}>
            Close
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={state.busy || title.trim() === ''}>
          {state.busy ? 'Saving…' : meeting === undefined ? 'Create' : 'Save'}
        </button>
      </div>
    </form>
  );
}
