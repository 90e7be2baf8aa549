import { annotations } from '@tandem/shared';
import { useCallUi } from '../call/callStore.ts';
import { AnnotationLayer } from '../collab/annotations/AnnotationLayer.tsx';
import { AnnotationsContext, useAnnotations } from '../collab/annotations/AnnotationsContext.tsx';
import { BoardTools } from '../collab/annotations/AnnotationToolbar.tsx';
import { useT } from '../i18n/useT.ts';
import { BoardExport } from './BoardExport.tsx';
import { BOARD_BACKGROUND } from './boardExport.ts';
import { useBoard } from './WhiteboardContext.tsx';
import './whiteboard.css';

function BoardStatusLine() {
  const t = useT();
  const { state, retry } = useBoard();
  switch (state.status) {
    case 'loading':
      return (
        <p className="whiteboard-status" role="status">
          {t('whiteboard.loading')}
        </p>
      );
    case 'failed':
      return (
        <p className="whiteboard-status" role="alert">
          {t('whiteboard.loadFailed', { reason: state.message })}{' '}
          <button type="button" className="link-button" onClick={retry}>
            {t('ui.load.retry')}
          </button>
        </p>
      );
    case 'ready':
    case 'encrypted':
      return null;
    default: {
      const never: never = state;
      throw new Error(`unknown board state ${String(never)}`);
    }
  }
}

function StageExport() {
  const { title } = useBoard();
  return <BoardExport scene={useAnnotations((s) => s.scene)} title={title} />;
}

/**
 * The whiteboard on the call's stage, where a shared screen would be: its tools, export and close
 * above a 16:9 board that keeps its shape in any window (the tiles stay beside it).
 */
export function WhiteboardStage() {
  const t = useT();
  const { drawing } = useBoard();
  const setOpen = useCallUi((s) => s.setBoardOpen);
  if (drawing === null) return null;
  return (
    <AnnotationsContext.Provider value={drawing}>
      <section className="whiteboard" aria-label={t('whiteboard.title')}>
        <div className="annotation-toolbar whiteboard-toolbar" role="toolbar" aria-label={t('whiteboard.toolbar')}>
          <BoardTools />
          <StageExport />
          <button type="button" className="button" onClick={() => setOpen(false)}>
            {t('whiteboard.close')}
          </button>
        </div>
        <BoardStatusLine />
        <div className="whiteboard-area">
          <div className="whiteboard-surface" style={{ background: BOARD_BACKGROUND }}>
            <AnnotationLayer
              sharerId={annotations.BOARD_POLICY.sharerId}
              frame={annotations.BOARD_FRAME}
              label={(count) => t('whiteboard.surface', { count })}
            />
          </div>
        </div>
      </section>
    </AnnotationsContext.Provider>
  );
}
