import type { ConfirmNoteItemRequest, MeetingNotes, NoteEvidence, NoteItem } from '@tandem/shared';
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import { useNotesController, type ItemRef } from './notesController.ts';
import { useRecordingPlayer } from './useRecordingPlayer.tsx';
import { clockOf, dayText, KIND_LABEL } from './notesView.ts';
import './notes.css';
import { useT } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { useIntl } from 'react-intl';

/** The meeting the notes are of: enough to name it. */
export type NotesMeeting = { readonly id: string; readonly title: string };

const PROVIDER_TEXT: Readonly<Record<MeetingNotes['provider'], MessageId>> = {
  extractor: 'notes.provider.extractor',
  llm: 'notes.provider.llm',
};

/** A moment as a date and time in the language shown. */
function useWhen(): (iso: string) => string {
  const intl = useIntl();
  return (iso) => intl.formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });
}

/** One quoted moment: when, who, what; a button that plays the recording from there when one covers it. */
function Evidence({
  evidence,
  onPlay,
}: {
  readonly evidence: NoteEvidence;
  readonly onPlay: (e: NoteEvidence) => void;
}) {
  const t = useT();
  const at = clockOf(evidence.startMs);
  const quote = (
    <>
      <span className="notes-at">{at}</span> <span className="notes-speaker">{evidence.speaker.name}:</span>{' '}
      <q>{evidence.text}</q>
    </>
  );
  return (
    <li>
      {evidence.recording === null ? (
        <p className="notes-quote">{quote}</p>
      ) : (
        <button
          type="button"
          className="notes-quote notes-quote-button"
          aria-label={t('notes.evidence.play', { at, name: evidence.speaker.name, text: evidence.text })}
          onClick={() => onPlay(evidence)}
        >
          {quote}
        </button>
      )}
    </li>
  );
}

/** Confirming with corrections: the title, the owner (someone of the organisation) and the due date. */
function EditForm({
  item,
  busy,
  onConfirm,
  onCancel,
}: {
  readonly item: NoteItem;
  readonly busy: boolean;
  readonly onConfirm: (edits: ConfirmNoteItemRequest) => void;
  readonly onCancel: () => void;
}) {
  const t = useT();
  const controller = useController();
  const people = useAppStore(useShallow((s) => s.people));
  // The people to choose an owner from are the cache's, which it may have learned since sign-in.
  useEffect(() => {
    controller.loadPeople().catch(() => undefined);
  }, [controller]);
  const [title, setTitle] = useState(item.title);
  const [ownerId, setOwnerId] = useState(item.ownerId ?? '');
  const [dueDate, setDueDate] = useState(item.dueDate ?? '');
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (title.trim() === '') return;
    onConfirm({
      title: title.trim(),
      ownerId: ownerId === '' ? null : ownerId,
      dueDate: dueDate === '' ? null : dueDate,
    });
  };
  return (
    <form className="notes-edit" onSubmit={submit} aria-label={t('notes.edit.label', { title: item.title })}>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('notes.title')}</label>
        <input
          id={`${id}-title`}
          value={title}
          maxLength={200}
          required
          autoFocus
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      <div className="notes-edit-row">
        <div className="field">
          <label htmlFor={`${id}-owner`}>{t('decisions.owner')}</label>
          <select id={`${id}-owner`} value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
            <option value="">{t('notes.owner.none')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-due`}>{t('decisions.due')}</label>
          <input id={`${id}-due`} type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
        </div>
      </div>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={busy || title.trim() === ''}>
          {t(busy ? 'notes.confirming' : 'notes.confirm.edited')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('chat.cancel')}
        </button>
      </div>
    </form>
  );
}

function Item({
  item,
  itemRef,
  onChanged,
  onPlay,
}: {
  readonly item: NoteItem;
  readonly itemRef: ItemRef;
  readonly onChanged: (item: NoteItem) => void;
  readonly onPlay: (e: NoteEvidence) => void;
}) {
  const t = useT();
  const intl = useIntl();
  const when = useWhen();
  const notes = useNotesController();
  const [editing, setEditing] = useState(false);
  const [confirm, confirming] = useAsyncAction(async (edits: ConfirmNoteItemRequest) => {
    onChanged((await notes.confirm(itemRef, edits)).item);
    setEditing(false);
  });
  const [dismiss, dismissing] = useAsyncAction(async () => onChanged(await notes.dismiss(itemRef)));
  const titleId = useId();
  const owner = item.ownerName ?? t('notes.owner.unnamed');
  const error = confirming.error ?? dismissing.error;
  return (
    <li className="notes-item card" data-status={item.status} aria-labelledby={titleId}>
      <p className="notes-kind">
        {t(KIND_LABEL[item.kind])}
        {item.status === 'proposed' ? ` · ${t('notes.proposed')}` : ''}
      </p>
      <h3 id={titleId} className="notes-title">
        {item.title}
      </h3>
      <dl className="notes-facts">
        <div>
          <dt>{t('decisions.owner')}</dt>
          <dd>
            {owner}
            {item.ownerName !== null && item.ownerId === null ? (
              <span className="hint"> {t('notes.owner.notFound')}</span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t('decisions.due')}</dt>
          <dd>{item.dueDate === null ? t('decisions.noDueDate') : dayText(item.dueDate, intl.locale)}</dd>
        </div>
      </dl>
      <ul className="notes-evidence" aria-label={t('notes.evidence', { title: item.title })}>
        {item.evidence.map((e) => (
          <Evidence key={e.segmentId} evidence={e} onPlay={onPlay} />
        ))}
      </ul>
      {item.status === 'proposed' ? (
        editing ? (
          <EditForm
            item={item}
            busy={confirming.busy}
            onConfirm={(edits) => void confirm(edits)}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <div className="row">
            <button
              type="button"
              className="button button-primary"
              aria-label={t('notes.confirm.named', { title: item.title })}
              disabled={confirming.busy || dismissing.busy}
              onClick={() => void confirm({})}
            >
              {t(confirming.busy ? 'notes.confirming' : 'notes.confirm')}
            </button>
            <button
              type="button"
              className="button"
              aria-label={t('notes.edit.named', { title: item.title })}
              onClick={() => setEditing(true)}
            >
              {t('notes.edit')}
            </button>
            <button
              type="button"
              className="button"
              aria-label={t('notes.dismiss.named', { title: item.title })}
              disabled={confirming.busy || dismissing.busy}
              onClick={() => void dismiss()}
            >
              {t(dismissing.busy ? 'notes.dismissing' : 'notes.dismiss')}
            </button>
          </div>
        )
      ) : (
        <p className="notes-decided" role="status">
          {t('notes.decided', {
            confirmed: item.status === 'confirmed',
            hasBy: item.decidedBy !== null,
            by: item.decidedBy?.name ?? '',
            hasAt: item.decidedAt !== null,
            at: item.decidedAt === null ? '' : when(item.decidedAt),
          })}
        </p>
      )}
      {error === undefined ? null : (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/**
 * A meeting's notes: the summary and the proposed decisions and action items, each with its owner,
 * due date and the words it came from (which play the recording from that moment when one covers
 * it). Nothing is a decision until someone confirms it here, as proposed or corrected; dismissing
 * drops it. A decision confirmed elsewhere shows up without a reload.
 */
export function NotesDialog({ meeting, onClose }: { readonly meeting: NotesMeeting; readonly onClose: () => void }) {
  const t = useT();
  const when = useWhen();
  const notes = useNotesController();
  const navigate = useAppStore((s) => s.navigate);
  const load = useCallback(() => notes.latest(meeting.id), [notes, meeting.id]);
  const [loaded, reload, update] = useLoad(load);
  const [make, making] = useAsyncAction(async () => {
    const made = await notes.generate(meeting.id);
    update(() => made);
  });
  const player = useRecordingPlayer(meeting.id, meeting.title);
  // Someone else confirming an item records a decision of this meeting: read the notes again.
  const decided = useAppStore((s) => s.decisions.filter((d) => d.meetingId === meeting.id).length);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void reload();
  }, [decided, reload]);

  const play = (e: NoteEvidence) => {
    if (e.recording !== null) player.play(e.recording, clockOf(e.startMs));
  };

  const changed = (item: NoteItem) =>
    update((n) => (n === null ? n : { ...n, items: n.items.map((i) => (i.id === item.id ? item : i)) }));

  const value = loaded.status === 'ready' ? loaded.value : null;
  const proposed = value?.items.filter((i) => i.status === 'proposed').length ?? 0;
  return (
    <Modal title={t('decisions.notesOf', { title: meeting.title })} onClose={onClose}>
      <div className="notes">
        <LoadState loaded={loaded} what={t('notes.what')} onRetry={() => void reload()} />
        {player.problem === undefined ? null : (
          <p className="error" role="alert">
            {player.problem}
          </p>
        )}
        {making.error === undefined ? null : (
          <p className="error" role="alert">
            {t('notes.makeFailed', { reason: making.error })}
          </p>
        )}
        {loaded.status !== 'ready' ? null : value === null ? (
          <div className="notes-empty">
            <p className="empty">{t('notes.none')}</p>
          </div>
        ) : (
          <>
            <section aria-labelledby="notes-summary">
              <h3 id="notes-summary">{t('notes.summary')}</h3>
              <p className="notes-summary">{value.summary}</p>
              <p className="hint">
                {t(PROVIDER_TEXT[value.provider])} {t('notes.summary.hint', { at: when(value.generatedAt) })}
              </p>
            </section>
            {player.video}
            <section aria-labelledby="notes-items">
              <h3 id="notes-items">{t('notes.items', { proposed })}</h3>
              {value.items.length === 0 ? (
                <p className="empty">{t('notes.items.none')}</p>
              ) : (
                <ol className="notes-items">
                  {value.items.map((item) => (
                    <Item
                      key={item.id}
                      item={item}
                      itemRef={{ meetingId: meeting.id, notesId: value.id, itemId: item.id }}
                      onChanged={changed}
                      onPlay={play}
                    />
                  ))}
                </ol>
              )}
            </section>
          </>
        )}
      </div>
      <div className="row form-actions">
        <button
          type="button"
          className="button"
          disabled={making.busy || loaded.status === 'loading'}
          onClick={() => void make()}
        >
          {t(making.busy ? 'notes.making' : value === null ? 'notes.make' : 'notes.makeAgain')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => navigate({ name: 'transcript', meetingId: meeting.id })}
        >
          {t('transcript.open')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('chat.close')}
        </button>
      </div>
    </Modal>
  );
}
