import { percentOf, sizeText, type Attachment } from './attachments.ts';

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
  if (attachments.length === 0) return null;
  return (
    <ul className="attachments" aria-label="Attached files">
      {attachments.map((a) => (
        <li key={a.uploadId} className="attachment" data-status={a.state.status}>
          <span className="attachment-name">{a.name}</span>
          <span className="attachment-size">{sizeText(a.size)}</span>
          {a.state.status === 'uploading' ? (
            <>
              <progress
                max={100}
                value={percentOf(a.state.sent, a.size)}
                aria-label={`Uploading ${a.name}`}
                className="attachment-progress"
              />
              <button type="button" className="button" onClick={() => onRemove(a.uploadId)}>
                Cancel<span className="visually-hidden"> upload of {a.name}</span>
              </button>
            </>
          ) : a.state.status === 'done' ? (
            <>
              <span className="attachment-ready" role="status">
                Ready
              </span>
              <button type="button" className="button" onClick={() => onRemove(a.uploadId)}>
                Remove<span className="visually-hidden"> {a.name}</span>
              </button>
            </>
          ) : (
            <>
              <span className="error" role="alert">
                Not uploaded: {a.state.error}
              </span>
              <button type="button" className="button" onClick={() => onRetry(a.uploadId)}>
                Retry<span className="visually-hidden"> {a.name}</span>
              </button>
              <button type="button" className="button" onClick={() => onRemove(a.uploadId)}>
                Remove<span className="visually-hidden"> {a.name}</span>
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
