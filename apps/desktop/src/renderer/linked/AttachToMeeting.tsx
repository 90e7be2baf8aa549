import type { Meeting } from '@tandem/shared';
import { useCallback, useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLinkedController } from './LinkedContext.ts';

/** The upcoming meetings the signed-in person hosts (owner, or an organisation owner or admin). */
function useHostedMeetings(): readonly Meeting[] {
  return useAppStore(
    useShallow((s) => {
      if (s.meetings.status !== 'ready' || s.session.status !== 'signedIn') return [];
      const me = s.session.info.user;
      const admin = me.role === 'owner' || me.role === 'admin';
      return s.meetings.data.upcoming.filter((m) => admin || m.ownerId === me.id);
    }),
  );
}

/** Stores the pasted invitation with one of our meetings, so everyone finds it there. */
export function AttachToMeeting({ text }: { readonly text: string }) {
  const meetings = useHostedMeetings();
  const controller = useLinkedController();
  const t = useT();
  const [chosen, setChosen] = useState('');
  const [linkedTo, setLinkedTo] = useState<string | undefined>(undefined);
  const id = useId();
  const meetingId = chosen === '' ? meetings[0]?.id : chosen;
  const attach = useCallback(
    async (target: string) => {
      await controller.attach(target, text);
      setLinkedTo(meetings.find((m) => m.id === target)?.title);
    },
    [controller, text, meetings],
  );
  const [run, state] = useAsyncAction(attach);
  if (meetings.length === 0) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (meetingId !== undefined) void run(meetingId);
  };
  return (
    <form className="field linked-attach" onSubmit={submit}>
      <label htmlFor={id}>{t('linked.attach.label')}</label>
      <div className="row">
        <select id={id} value={meetingId ?? ''} onChange={(e) => setChosen(e.target.value)}>
          {meetings.map((m) => (
            <option key={m.id} value={m.id}>
              {m.title}
            </option>
          ))}
        </select>
        <button type="submit" className="button" disabled={state.busy}>
          {state.busy ? t('linked.attach.linking') : t('linked.attach.link')}
        </button>
      </div>
      <p role="status">{linkedTo === undefined ? '' : t('linked.attach.done', { title: linkedTo })}</p>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </form>
  );
}
