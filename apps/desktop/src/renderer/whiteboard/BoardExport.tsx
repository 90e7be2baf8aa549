import type { annotations } from '@tandem/shared';
import { useCallback } from 'react';
import { useT } from '../i18n/useT.ts';
import { saveFile } from '../ui/saveFile.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { boardPng, boardSvg, exportName } from './boardExport.ts';

/** Export PNG and Export SVG of a board, with what went wrong if one fails. */
export function BoardExport({ scene, title }: { readonly scene: annotations.Scene; readonly title: string }) {
  const t = useT();
  const [run, state] = useAsyncAction(
    useCallback(
      async (kind: 'png' | 'svg') => {
        const content = kind === 'png' ? await boardPng(scene) : boardSvg(scene);
        saveFile({
          filename: exportName(title, kind),
          mimeType: kind === 'png' ? 'image/png' : 'image/svg+xml',
          content,
        });
      },
      [scene, title],
    ),
  );
  return (
    <>
      <button type="button" className="button" disabled={state.busy} onClick={() => void run('png')}>
        {t('whiteboard.exportPng')}
      </button>
      <button type="button" className="button" disabled={state.busy} onClick={() => void run('svg')}>
        {t('whiteboard.exportSvg')}
      </button>
      {state.error === undefined ? null : (
        <span className="error" role="alert">
          {t('whiteboard.exportFailed', { reason: state.error })}
        </span>
      )}
    </>
  );
}
