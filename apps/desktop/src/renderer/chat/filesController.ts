import type { ChatFile, IpcEventPayload, TandemClient, Unsubscribe } from '@tandem/shared';
import { createContext, useContext } from 'react';
import { declaredType, nameOf, toBase64 } from './attachments.ts';

/**
 * Files in chat as the renderer asks for them: uploads (the bytes go to main, or straight to the
 * server in the browser client), their progress and cancel, image previews and downloads.
 */
export type FilesController = {
  upload(conversationId: string, file: File, uploadId: string): Promise<ChatFile>;
  cancel(uploadId: string): void;
  onProgress(listener: (progress: IpcEventPayload<'files:progress'>) => void): Unsubscribe;
  /** What an `<img>` shows for an image file. */
  preview(conversationId: string, fileId: string): Promise<string>;
  download(conversationId: string, fileId: string): Promise<void>;
};

type FilesClient = Pick<
  TandemClient,
  'filesUpload' | 'filesCancel' | 'filesPreview' | 'filesDownload' | 'onFilesProgress'
>;

export function createFilesController(client: FilesClient): FilesController {
  return {
    async upload(conversationId, file, uploadId) {
      const type = declaredType(file.name, file.type);
      const data = toBase64(new Uint8Array(await file.arrayBuffer()));
      return client.filesUpload({ uploadId, conversationId, name: nameOf(file.name, type), contentType: type, data });
    },
    cancel: (uploadId) => void client.filesCancel({ uploadId }).catch(() => undefined),
    onProgress: (listener) => client.onFilesProgress(listener),
    preview: async (conversationId, fileId) => (await client.filesPreview({ conversationId, fileId })).src,
    download: async (conversationId, fileId) => {
      await client.filesDownload({ conversationId, fileId });
    },
  };
}

/** Provided by the composition root (`main.tsx`); a test may provide its own. */
export const FilesControllerContext = createContext<FilesController | undefined>(undefined);

export function useFilesController(): FilesController {
  const controller = useContext(FilesControllerContext);
  if (controller === undefined) throw new Error('FilesControllerContext is not provided');
  return controller;
}
