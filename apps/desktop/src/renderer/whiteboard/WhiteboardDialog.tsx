import { annotations, type Meeting } from '@tandem/shared';
import { useCallback } from 'react';
import { useClient } from '../ClientContext.ts';
import { shapeOf } from '../collab/annotations/shapes.ts';
import { ShapeView } from '../collab/annotations/ShapeView.tsx';
import { useT } from '../i18n/useT.ts';
import { Modal } from '../ui/Modal.tsx';
import { useLoad } from '../ui/useLoad.ts';
import { BoardExport } from './BoardExport.tsx';
import { BOARD_BACKGROUND } from './boardExport.ts';
import './whiteboard.css';

const FRAME = annotations.BOARD_FRAME;
const PAINTED: annotations.Rect = { left: 0, top: 0, ...FRAME };

/** A board as a picture, scaled to its box: read only. */
function BoardPicture({ scene }: { readonly scene: annotations.Scene }) {
  const t = useT();
  const elements = annotations.paintOrder(scene);
  return (
    <svg
      className="whiteboard-picture"
      viewBox={`0 0 ${FRAME.width} ${FRAME.height}`}
      role="img"
      aria-label={t('whiteboard.surface', { count: elements.length })}
    >
      <rect x={0} y={0} width={FRAME.width} height={FRAME.height} fill={BOARD_BACKGROUND} />
      {elements.map((element) => (
        <g key={element.id} data-element-id={element.id} data-kind={element.kind}>
          <ShapeView shape={shapeOf(element, PAINTED)} color={element.color} />
        </g>
      ))}
    </svg>
  );
}

/** A meeting's whiteboard from its page, during or after the meeting: read only, with export. */
export function WhiteboardDialog({ meeting, onClose }: { readonly meeting: Meeting; readonly onClose: () => void }) {
  const t = useT();
  const client = useClient();
  const encrypted = meeting.settings.e2ee;
  const load = useCallback(async (): Promise<annotations.Scene> => {
    if (encrypted) return new Map();
    const board = await client.whiteboardGet({ params: { meetingId: meeting.id }, body: {} });
    return annotations.reconcile(new Map(), board.elements);
  }, [client, meeting.id, encrypted]);
  const [loaded, reload] = useLoad(load);
  const body = () => {
    if (encrypted) return <p>{t('whiteboard.encrypted')}</p>;
    switch (loaded.status) {
      case 'loading':
        return <p role="status">{t('whiteboard.loading')}</p>;
      case 'failed':
        return (
          <p role="alert">
            {t('whiteboard.loadFailed', { reason: loaded.message })}{' '}
            <button type="button" className="link-button" onClick={() => void reload()}>
              {t('ui.load.retry')}
            </button>
          </p>
        );
      case 'ready':
        return annotations.paintOrder(loaded.value).length === 0 ? (
          <p>{t('whiteboard.empty')}</p>
        ) : (
          <>
            <p className="muted">{t('whiteboard.readOnly')}</p>
            <BoardPicture scene={loaded.value} />
            <div className="whiteboard-dialog-actions">
              <BoardExport scene={loaded.value} title={meeting.title} />
            </div>
          </>
        );
      default: {
        const never: never = loaded;
        throw new Error(`unknown load state ${String(never)}`);
      }
    }
  };
  return (
    <Modal title={t('whiteboard.dialog', { title: meeting.title })} onClose={onClose}>
      {body()}
      <div className="row form-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('chat.close')}
        </button>
      </div>
    </Modal>
  );
}
