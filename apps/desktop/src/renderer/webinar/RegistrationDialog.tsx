import {
  MAX_REGISTRATION_QUESTIONS,
  RegistrationSettingsSchema,
  type Meeting,
  type Registrant,
  type RegistrantStatus,
  type RegistrationQuestion,
  type RegistrationSettings,
} from '@tandem/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { useT } from '../i18n/useT.ts';
import { CopyField } from '../ui/CopyField.tsx';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { saveFile } from '../ui/saveFile.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import { questionId } from './registrationForm.ts';
import './webinar.css';

type Loaded = { readonly settings: RegistrationSettings; readonly registrants: readonly Registrant[] };

/** The decisions a host may take on a registrant in each status. */
const DECISIONS: Readonly<Record<RegistrantStatus, readonly ('approved' | 'denied' | 'revoked')[]>> = {
  pending: ['approved', 'denied'],
  approved: ['revoked'],
  denied: ['approved'],
  revoked: ['approved'],
};

/**
 * A webinar's registration for its hosts: the settings of its public page (open or closed,
 * approval automatic or by hand, capacity, their own questions) and the registrants (approve,
 * deny, revoke; an approval answers the registrant's new join link to pass on), with the list
 * and its attendance as CSV.
 */
export function RegistrationDialog({ meeting, onClose }: { readonly meeting: Meeting; readonly onClose: () => void }) {
  const t = useT();
  const client = useClient();
  const params = { meetingId: meeting.id };
  const load = useCallback(async (): Promise<Loaded> => {
    const p = { meetingId: meeting.id };
    const [settings, list] = await Promise.all([
      client.registrationSettings({ params: p, body: {} }),
      client.registrationRegistrants({ params: p, body: {} }),
    ]);
    return { settings, registrants: list.registrants };
  }, [client, meeting.id]);
  const [loaded, reload] = useLoad<Loaded>(load);
  const [registrants, setRegistrants] = useState<readonly Registrant[]>([]);
  useEffect(() => {
    if (loaded.status === 'ready') setRegistrants(loaded.value.registrants);
  }, [loaded]);
  const [link, setLink] = useState<{ readonly name: string; readonly url: string } | null>(null);
  const [decide, deciding] = useAsyncAction(async (r: Registrant, status: 'approved' | 'denied' | 'revoked') => {
    const answer = await client.registrationDecide({ params: { ...params, registrantId: r.id }, body: { status } });
    setRegistrants((all) => all.map((x) => (x.id === r.id ? answer.registrant : x)));
    setLink(answer.joinUrl === null ? null : { name: r.name, url: answer.joinUrl });
  });
  const [exportCsv, exporting] = useAsyncAction(async () => {
    saveFile(await client.registrationExportCsv({ meetingId: meeting.id }));
  });

  return (
    <Modal title={t('webinar.registration.title', { title: meeting.title })} onClose={onClose}>
      <LoadState loaded={loaded} what={t('webinar.registration.what')} onRetry={() => void reload()} />
      {loaded.status === 'ready' ? (
        <>
          <SettingsForm meetingId={meeting.id} initial={loaded.value.settings} />
          <section aria-labelledby="registrants-title" className="registrants">
            <h3 id="registrants-title">{t('webinar.registrants.title', { count: registrants.length })}</h3>
            {registrants.length === 0 ? (
              <p className="hint">{t('webinar.registrants.none')}</p>
            ) : (
              <table className="registrants-table">
                <thead>
                  <tr>
                    <th scope="col">{t('webinar.registrants.name')}</th>
                    <th scope="col">{t('webinar.registrants.email')}</th>
                    <th scope="col">{t('webinar.registrants.status')}</th>
                    <th scope="col">{t('webinar.registrants.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {registrants.map((r) => (
                    <tr key={r.id}>
                      <td>{r.name}</td>
                      <td>{r.email}</td>
                      <td>{t(`webinar.registrants.status.${r.status}`)}</td>
                      <td>
                        {DECISIONS[r.status].map((d) => (
                          <button
                            key={d}
                            type="button"
                            className="link-button"
                            disabled={deciding.busy}
                            onClick={() => void decide(r, d)}
                          >
                            {t(`webinar.registrants.decide.${d}`, { name: r.name })}
                          </button>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {deciding.error === undefined ? null : (
              <p className="error" role="alert">
                {deciding.error}
              </p>
            )}
            {link === null ? null : (
              <CopyField
                label={t('webinar.registrants.link', { name: link.name })}
                what={t('webinar.registrants.linkWhat')}
                value={link.url}
                hint={t('webinar.registrants.linkHint')}
              />
            )}
            <button type="button" className="button" disabled={exporting.busy} onClick={() => void exportCsv()}>
              {t('webinar.registrants.export')}
            </button>
            {exporting.error === undefined ? null : (
              <p className="error" role="alert">
                {exporting.error}
              </p>
            )}
          </section>
        </>
      ) : null}
    </Modal>
  );
}

function SettingsForm({ meetingId, initial }: { readonly meetingId: string; readonly initial: RegistrationSettings }) {
  const t = useT();
  const client = useClient();
  const id = useId();
  const [open, setOpen] = useState(initial.open);
  const [approval, setApproval] = useState(initial.approval);
  const [capacity, setCapacity] = useState(initial.capacity === null ? '' : String(initial.capacity));
  const [questions, setQuestions] = useState<readonly RegistrationQuestion[]>(initial.questions);
  const [saved, setSaved] = useState<string>('');
  const [save, saving] = useAsyncAction(async () => {
    setSaved('');
    const settings = RegistrationSettingsSchema.safeParse({
      open,
      approval,
      capacity: capacity.trim() === '' ? null : Number(capacity),
      questions,
    });
    if (!settings.success) throw new Error(t('webinar.registration.invalid'));
    await client.registrationSetSettings({ params: { meetingId }, body: settings.data });
    setSaved(t('webinar.registration.saved'));
  });
  const setQuestion = (index: number, change: Partial<RegistrationQuestion>) =>
    setQuestions((all) => all.map((q, i) => (i === index ? { ...q, ...change } : q)));

  return (
    <form
      className="registration-settings"
      aria-labelledby={`${id}-title`}
      // Checked here, so the message says what is wrong in the app's words.
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 id={`${id}-title`}>{t('webinar.registration.settings')}</h3>
      <label className="check">
        <input type="checkbox" checked={open} onChange={(e) => setOpen(e.target.checked)} />
        {t('webinar.registration.open')}
      </label>
      <fieldset>
        <legend>{t('webinar.registration.approval')}</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-approval`}
            checked={approval === 'automatic'}
            onChange={() => setApproval('automatic')}
          />
          {t('webinar.registration.approval.automatic')}
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-approval`}
            checked={approval === 'manual'}
            onChange={() => setApproval('manual')}
          />
          {t('webinar.registration.approval.manual')}
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-capacity`}>{t('webinar.registration.capacity')}</label>
        <input
          id={`${id}-capacity`}
          type="number"
          min={1}
          inputMode="numeric"
          value={capacity}
          aria-describedby={`${id}-capacity-hint`}
          onChange={(e) => setCapacity(e.target.value)}
        />
        <p id={`${id}-capacity-hint`} className="hint">
          {t('webinar.registration.capacity.hint')}
        </p>
      </div>
      <fieldset>
        <legend>{t('webinar.registration.questions')}</legend>
        {questions.map((q, i) => (
          <div key={q.id} className="row registration-question">
            <div className="field">
              <label htmlFor={`${id}-q-${q.id}`}>{t('webinar.registration.question', { n: i + 1 })}</label>
              <input
                id={`${id}-q-${q.id}`}
                value={q.label}
                onChange={(e) => setQuestion(i, { label: e.target.value })}
              />
            </div>
            <label className="check">
              <input
                type="checkbox"
                checked={q.required}
                onChange={(e) => setQuestion(i, { required: e.target.checked })}
              />
              {t('webinar.registration.required', { n: i + 1 })}
            </label>
            <button
              type="button"
              className="link-button"
              onClick={() => setQuestions((all) => all.filter((_, j) => j !== i))}
            >
              {t('webinar.registration.removeQuestion', { n: i + 1 })}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button"
          disabled={questions.length >= MAX_REGISTRATION_QUESTIONS}
          onClick={() =>
            setQuestions((all) => [...all, { id: questionId(all.map((q) => q.id)), label: '', required: false }])
          }
        >
          {t('webinar.registration.addQuestion')}
        </button>
      </fieldset>
      <button type="submit" className="button button-primary" disabled={saving.busy}>
        {saving.busy ? t('webinar.registration.saving') : t('webinar.registration.save')}
      </button>
      <p role="status" className="hint">
        {saved}
      </p>
      {saving.error === undefined ? null : (
        <p className="error" role="alert">
          {saving.error}
        </p>
      )}
    </form>
  );
}
