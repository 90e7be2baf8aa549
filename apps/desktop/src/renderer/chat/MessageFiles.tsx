import { CHAT_FILE_LIMITS, PREVIEWABLE_TYPES, type ChatFileRef } from '@tandem/shared';
import { useEffect, useState } from 'react';
import { errorText } from '../ui/errorText.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { sizeText } from './attachments.ts';
import { useFilesController } from './filesController.ts';
import { useT } from '../i18n/useT.ts';

const previewable = (f: ChatFileRef): boolean =>
  PREVIEWABLE_TYPES.includes(f.contentType) && f.sizeBytes <= CHAT_FILE_LIMITS.previewMaxBytes;

/** An image shown in the message: fetched once (the app keeps it, so it shows offline too). */
function ImagePreview({ conversationId, file }: { readonly conversationId: string; readonly file: ChatFileRef }) {
  const t = useT();
  const files = useFilesController();
  const [src, setSrc] = useState<
    { readonly ok: true; readonly src: string } | { readonly ok: false; readonly error: string }
  >();
  useEffect(() => {
    let live = true;
    files.preview(conversationId, file.id).then(
      (got) => live && setSrc({ ok: true, src: got }),
      (e: unknown) => live && setSrc({ ok: false, error: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [files, conversationId, file.id]);
  if (src === undefined) return <span className="file-preview-loading">{t('chat.files.previewLoading')}</span>;
  if (!src.ok) return <span className="hint">{t('chat.files.noPreview', { reason: src.error })}</span>;
  return <img className="file-preview" src={src.src} alt={file.name} />;
}

/** The files a message carries: images previewed, every file with its name, size and Download. */
export function MessageFiles({
  conversationId,
  files: attached,
}: {
  readonly conversationId: string;
  readonly files: readonly ChatFileRef[];
}) {
  const t = useT();
  const files = useFilesController();
  const [download, downloading] = useAsyncAction(files.download);
  if (attached.length === 0) return null;
  return (
    <ul className="message-files" aria-label={t('chat.files')}>
      {attached.map((f) => (
        <li key={f.id} className="message-file" data-file-id={f.id}>
          {previewable(f) ? <ImagePreview conversationId={conversationId} file={f} /> : null}
          <span className="message-file-name">{f.name}</span>
          <span className="message-file-size">{sizeText(f.sizeBytes)}</span>
          <button
            type="button"
            className="button"
            disabled={downloading.busy}
            onClick={() => void download(conversationId, f.id)}
          >
            {t('chat.files.download')}
            <span className="visually-hidden"> {f.name}</span>
          </button>
        </li>
      ))}
      {downloading.error === undefined ? null : (
        <li className="error" role="alert">
          {t('chat.files.downloadFailed', { reason: downloading.error })}
        </li>
      )}
    </ul>
  );
}
