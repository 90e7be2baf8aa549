import { percentOf, sizeText, type Attachment } from './attachments.ts';
import { useT } from '../i18n/useT.ts';

/** The composer's attached files: each one's progress, Cancel while it uploads, Retry when it failed. */
export function AttachmentList({
  attachments,
  onRemove,
  onRetry,
}: {
  readonly attachments: readonly Attachment[];
  readonly onRemove: (uploadId: string) => void;
  readonly onRetry: (uploadId: string) => void;
}) {
  const t = useT();
  if (attachments.length === 0) return null;
  return (
    <ul className="attachments" aria-label={t('chat.attachments')}>
      {attachments.map((a) => (
        <li key={a.uploadId} className="attachment" data-status={a.state.status}>
          <span className="attachment-name">{a.name}</span>
          <span className="attachment-size">{sizeText(a.size)}</span>
          {a.state.status === 'uploading' ? (
            <>
              <progress
                max={100}
                value={percentOf(a.state.sent, a.size)}
                aria-label={t('chat.attachment.uploading', { name: a.name })}
                className="attachment-progress"
              />
              <button type="button" className="button" onClick={() => onRemove(a.uploadId)}>
                {t('chat.attachment.cancel')}
                <span className="visually-hidden"> {t('chat.attachment.cancelOf', { name: a.name })}</span>
              </button>
            </>
          ) : a.state.status === 'done' ? (
            <>
              <span className="attachment-ready" role="status">
                {t('chat.attachment.ready')}
              </span>
              <button type="button" className="button" onClick={() => onRemove(a.uploadId)}>
                {t('chat.remove')}
                <span className="visually-hidden"> {a.name}</span>
              </button>
            </>
          ) : (
            <>
              <span className="error" role="alert">
                {t('chat.attachment.failed', { reason: a.state.error })}
              </span>
              <button type="button" className="button" onClick={() => onRetry(a.uploadId)}>
                {t('chat.retry')}
                <span className="visually-hidden"> {a.name}</span>
              </button>
              <button type="button" className="button" onClick={() => onRemove(a.uploadId)}>
                {t('chat.remove')}
                <span className="visually-hidden"> {a.name}</span>
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
