import { CHAT_FILE_LIMITS, type ChatFileRef } from '@tandem/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../ui/errorText.ts';
import { declaredType, nameOf, sizeText, type Attachment } from './attachments.ts';
import { useFilesController } from './filesController.ts';

/**
 * The files a composer attaches: each upload starts as soon as it is added (picked, dropped or
 * pasted), shows its progress, can be cancelled, and tried again when it failed. What is done is
 * sent with the message; the rest stays until it is done or removed.
 */
export function useAttachments(conversationId: string) {
  const files = useFilesController();
  const [attachments, setAttachments] = useState<readonly Attachment[]>([]);
  /** Every attachment's file and, once uploaded, what the message carries of it. */
  const held = useRef(new Map<string, { file: File; ref?: ChatFileRef }>());

  const update = useCallback(
    (uploadId: string, state: Attachment['state']) =>
      setAttachments((list) => list.map((a) => (a.uploadId === uploadId ? { ...a, state } : a))),
    [],
  );

  useEffect(
    () =>
      files.onProgress(({ uploadId, sentBytes }) =>
        setAttachments((list) =>
          list.map((a) =>
            a.uploadId === uploadId && a.state.status === 'uploading'
              ? { ...a, state: { status: 'uploading', sent: sentBytes } }
              : a,
          ),
        ),
      ),
    [files],
  );

  const start = useCallback(
    (uploadId: string, file: File) => {
      if (file.size > CHAT_FILE_LIMITS.defaultMaxBytes) {
        update(uploadId, {
          status: 'failed',
          error: `larger than ${sizeText(CHAT_FILE_LIMITS.defaultMaxBytes)}, the most a file may have`,
        });
        return;
      }
      update(uploadId, { status: 'uploading', sent: 0 });
      files.upload(conversationId, file, uploadId).then(
        (uploaded) => {
          const entry = held.current.get(uploadId);
          // Removed (cancelled) while its answer was on the way: nothing to attach.
          if (entry === undefined) return;
          entry.ref = {
            id: uploaded.id,
            name: uploaded.name,
            contentType: uploaded.contentType,
            sizeBytes: uploaded.sizeBytes,
          };
          update(uploadId, { status: 'done', fileId: uploaded.id });
        },
        (e: unknown) => {
          if (held.current.has(uploadId)) update(uploadId, { status: 'failed', error: errorText(e) });
        },
      );
    },
    [conversationId, files, update],
  );

  const add = useCallback(
    (list: Iterable<File>) => {
      const added: Attachment[] = [];
      // At most CHAT_FILE_LIMITS.perMessage files go with one message.
      for (const file of [...list].slice(0, Math.max(0, CHAT_FILE_LIMITS.perMessage - attachments.length))) {
        const uploadId = crypto.randomUUID();
        const type = declaredType(file.name, file.type);
        held.current.set(uploadId, { file });
        added.push({
          uploadId,
          name: nameOf(file.name, type),
          type,
          size: file.size,
          state: { status: 'uploading', sent: 0 },
        });
      }
      if (added.length === 0) return;
      setAttachments((current) => [...current, ...added]);
      for (const a of added) {
        const entry = held.current.get(a.uploadId);
        if (entry !== undefined) start(a.uploadId, entry.file);
      }
    },
    [start, attachments.length],
  );

  /** Cancels it if it is still uploading; either way it leaves the message. */
  const remove = useCallback(
    (uploadId: string) => {
      held.current.delete(uploadId);
      files.cancel(uploadId);
      setAttachments((list) => list.filter((a) => a.uploadId !== uploadId));
    },
    [files],
  );

  const retry = useCallback(
    (uploadId: string) => {
      const entry = held.current.get(uploadId);
      if (entry !== undefined) start(uploadId, entry.file);
    },
    [start],
  );

  /** What the message carries: the uploads that are done. */
  const ready = (): ChatFileRef[] =>
    attachments.flatMap((a) => {
      const ref = held.current.get(a.uploadId)?.ref;
      return a.state.status === 'done' && ref !== undefined ? [ref] : [];
    });

  const clear = () => {
    held.current.clear();
    setAttachments([]);
  };

  return {
    attachments,
    add,
    remove,
    retry,
    ready,
    clear,
    uploading: attachments.some((a) => a.state.status === 'uploading'),
    done: attachments.some((a) => a.state.status === 'done'),
  };
}
