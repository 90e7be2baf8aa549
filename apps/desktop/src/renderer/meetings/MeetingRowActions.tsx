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
      label: 'Copy invitation',
      run: () => {
        navigator.clipboard.writeText(text).then(
          () => setStatus('Invitation copied.'),
          (e: unknown) => setStatus(`Could not copy the invitation: ${errorText(e)}`),
        );
      },
    },
    { label: 'Invitation…', run: () => setOpen('invitation') },
    { label: 'Recordings…', run: () => setOpen('recordings') },
    { label: 'Notes…', run: () => setOpen('notes') },
    { label: t('whiteboard.menu'), run: () => setOpen('whiteboard') },
    { label: t('transcript.open'), run: () => navigate({ name: 'transcript', meetingId: meeting.id }) },
    { label: 'Insights…', run: () => setOpen('insights') },
    ...(meeting.ownerId === me?.id
      ? [
          { label: 'Edit…', run: () => setOpen('edit') },
          ...(meeting.type === 'webinar'
            ? [{ label: t('webinar.registration.menu'), run: () => setOpen('registration') }]
            : []),
          { label: 'Cancel meeting…', run: () => setOpen('cancel') },
        ]
      : []),
  ];

  return (
    <>
      <ActionsMenu label={`Options for ${meeting.title}`} actions={actions} button={button} />
      <span className="visually-hidden" role="status">
        {status}
      </span>
      {open === 'edit' ? (
        <Modal title={`Edit ${meeting.title}`} onClose={close}>
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
        <Modal title={`Cancel ${meeting.title}?`} onClose={close}>
          <p>Everyone invited loses the meeting; its chat stays readable.</p>
          {cancelling.error === undefined ? null : (
            <p className="error" role="alert">
              {cancelling.error}
            </p>
          )}
          <div className="row form-actions">
            <button type="button" className="button" autoFocus onClick={close}>
              Keep it
            </button>
            <button
              type="button"
              className="button button-danger"
              disabled={cancelling.busy}
              onClick={() => void cancel().then((done) => done && close())}
            >
              {cancelling.busy ? 'Cancelling…' : 'Cancel meeting'}
            </button>
          </div>
        </Modal>
      ) : null}
    </>
  );
}
