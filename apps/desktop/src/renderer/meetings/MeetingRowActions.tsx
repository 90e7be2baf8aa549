import { PRODUCT, type Meeting } from '@tandem/shared';
import { useRef, useState } from 'react';
import { MeetingInsightsDialog } from '../insights/MeetingInsightsDialog.tsx';
import { NotesDialog } from '../notes/NotesDialog.tsx';
import { InvitationDialog } from '../phone/InvitationDialog.tsx';
import { RegistrationDialog } from '../webinar/RegistrationDialog.tsx';
import { RecordingsDialog } from '../recording/RecordingsDialog.tsx';
import { WhiteboardDialog } from '../whiteboard/WhiteboardDialog.tsx';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { ActionsMenu, type MenuAction } from '../ui/ActionsMenu.tsx';
import { Modal } from '../ui/Modal.tsx';
import { errorText } from '../ui/errorText.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { MeetingForm } from './MeetingForm.tsx';
import { invitationText } from './meetingSchedule.ts';

type Open =
  'none' | 'edit' | 'cancel' | 'recordings' | 'notes' | 'whiteboard' | 'insights' | 'invitation' | 'registration';

/**
 * A meeting's own actions on Home: copy its invitation or see it with its dial-in details, see its recordings, notes and insights; for its owner, edit
 * and cancel (an invitee has neither).
 */
export function MeetingRowActions({
  meeting,
  organiser,
}: {
  readonly meeting: Meeting;
  /** Who organises it, when that is not the signed-in user: the invitation is in their name. */
  readonly organiser: string | null;
}) {
  const t = useT();
  const controller = useController();
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  const navigate = useAppStore((s) => s.navigate);
  const button = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState<Open>('none');
  const [status, setStatus] = useState('');
  const [cancel, cancelling] = useAsyncAction(() => controller.cancelMeeting(meeting.id));
  const close = () => {
    setOpen('none');
    button.current?.focus();
  };

  const text = invitationText(meeting, organiser ?? me?.name ?? PRODUCT.productName, PRODUCT.productName);
  const actions: MenuAction[] = [
    {
      label: t('phone.invitation.copy'),
      run: () => {
        navigator.clipboard.writeText(text).then(
          () => setStatus(t('meetings.menu.copied')),
          (e: unknown) => setStatus(t('meetings.menu.notCopied', { reason: errorText(e) })),
        );
      },
    },
    { label: t('meetings.menu.invitation'), run: () => setOpen('invitation') },
    { label: t('meetings.menu.recordings'), run: () => setOpen('recordings') },
    { label: t('meetings.menu.notes'), run: () => setOpen('notes') },
    { label: t('whiteboard.menu'), run: () => setOpen('whiteboard') },
    { label: t('transcript.open'), run: () => navigate({ name: 'transcript', meetingId: meeting.id }) },
    { label: t('meetings.menu.insights'), run: () => setOpen('insights') },
    ...(meeting.ownerId === me?.id
      ? [
          { label: t('meetings.menu.edit'), run: () => setOpen('edit') },
          ...(meeting.type === 'webinar'
            ? [{ label: t('webinar.registration.menu'), run: () => setOpen('registration') }]
            : []),
          { label: t('meetings.menu.cancel'), run: () => setOpen('cancel') },
        ]
      : []),
  ];

  return (
    <>
      <ActionsMenu label={t('meetings.menu.label', { title: meeting.title })} actions={actions} button={button} />
      <span className="visually-hidden" role="status">
        {status}
      </span>
      {open === 'edit' ? (
        <Modal title={t('meetings.edit.title', { title: meeting.title })} onClose={close}>
          <MeetingForm meeting={meeting} onDone={close} />
        </Modal>
      ) : null}
      {open === 'invitation' ? <InvitationDialog meeting={meeting} text={text} onClose={close} /> : null}
      {open === 'registration' ? <RegistrationDialog meeting={meeting} onClose={close} /> : null}
      {open === 'recordings' ? <RecordingsDialog meeting={meeting} onClose={close} /> : null}
      {open === 'notes' ? <NotesDialog meeting={meeting} onClose={close} /> : null}
      {open === 'whiteboard' ? <WhiteboardDialog meeting={meeting} onClose={close} /> : null}
      {open === 'insights' ? <MeetingInsightsDialog meeting={meeting} onClose={close} /> : null}
      {open === 'cancel' ? (
        <Modal title={t('meetings.cancel.title', { title: meeting.title })} onClose={close}>
          <p>{t('meetings.cancel.what')}</p>
          {cancelling.error === undefined ? null : (
            <p className="error" role="alert">
              {cancelling.error}
            </p>
          )}
          <div className="row form-actions">
            <button type="button" className="button" autoFocus onClick={close}>
              {t('meetings.cancel.keep')}
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={cancelling.busy}
              onClick={() => void cancel().then((done) => done && close())}
            >
              {cancelling.busy ? t('meetings.cancel.busy') : t('meetings.cancel.confirm')}
            </button>
          </div>
        </Modal>
      ) : null}
    </>
  );
}
