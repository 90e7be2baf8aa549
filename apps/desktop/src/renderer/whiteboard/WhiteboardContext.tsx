import { useRoomContext } from '@livekit/components-react';
import { annotations } from '@tandem/shared';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createStore } from 'zustand';
import { useClient } from '../ClientContext.ts';
import { attachAnnotations } from '../collab/annotations/annotationSync.ts';
import type { Annotations } from '../collab/annotations/AnnotationsContext.tsx';
import type { AnnotationState } from '../collab/annotations/model.ts';
import { isHostParticipant } from '../collab/roomData.ts';
import { translateNow } from '../i18n/current.ts';
import { errorText } from '../ui/errorText.ts';
import { boardState, saveBatches, withSaved } from './boardModel.ts';

export type BoardStatus =
  /** An end-to-end encrypted meeting has no board: the server would have to keep it. */
  | { readonly status: 'encrypted' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready' }
  | { readonly status: 'failed'; readonly message: string };

export type Board = {
  /** The meeting's title, for exported files' names. */
  readonly title: string;
  readonly drawing: Annotations | null;
  readonly state: BoardStatus;
  /** Reads the saved board again after a failed load. */
  retry(): void;
};

const WhiteboardContext = createContext<Board | undefined>(undefined);

/**
 * The meeting's whiteboard for the whole call, open or not: marks arrive and are kept while the
 * board is closed, so opening it shows them at once. Live drawing goes over LiveKit data on the
 * board's topic; each participant saves its own records on the server (in order, one save after
 * another), and the board saved so far is read once at the start, which is what a late joiner
 * sees. Saved and live records meet in the one merge, so their order does not matter.
 */
export function WhiteboardProvider({
  meetingId,
  title,
  encrypted,
  onError,
  children,
}: {
  readonly meetingId: string;
  readonly title: string;
  readonly encrypted: boolean;
  readonly onError: (message: string) => void;
  readonly children: ReactNode;
}) {
  const room = useRoomContext();
  const client = useClient();
  const [drawing, setDrawing] = useState<Annotations | null>(null);
  const [state, setState] = useState<BoardStatus>({ status: encrypted ? 'encrypted' : 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (encrypted) return;
    const local = room.localParticipant;
    const store = createStore<AnnotationState>()(() => boardState(local.identity, isHostParticipant(local)));
    let saving = Promise.resolve();
    // Records a save did not take go again with the next one: saving a record twice changes
    // nothing (the server keeps the winner), so a retry is always safe.
    let unsaved: annotations.AnnotationElement[] = [];
    const save = (records: readonly annotations.AnnotationElement[]) => {
      const pending = [...unsaved, ...records];
      unsaved = [];
      for (const elements of saveBatches(pending))
        saving = saving
          .then(() => client.whiteboardSave({ params: { meetingId }, body: { elements } }))
          .then(
            () => undefined,
            (e: unknown) => {
              unsaved.push(...elements);
              onError(translateNow('whiteboard.notSaved', { reason: errorText(e) }));
            },
          );
    };
    const attached = attachAnnotations(room, store, onError, {
      topic: annotations.WHITEBOARD_TOPIC,
      pointerTopic: annotations.WHITEBOARD_POINTER_TOPIC,
      committed: save,
      split: (draft) => annotations.splitStroke(draft),
    });
    setDrawing({ store, actions: attached.actions });
    return () => attached.detach();
  }, [room, client, meetingId, encrypted, onError]);

  useEffect(() => {
    if (drawing === null) return;
    let live = true;
    setState({ status: 'loading' });
    client.whiteboardGet({ params: { meetingId }, body: {} }).then(
      (board) => {
        if (!live) return;
        drawing.store.setState((s) => withSaved(s, board.elements));
        setState({ status: 'ready' });
      },
      (e: unknown) => live && setState({ status: 'failed', message: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, meetingId, drawing, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const board = useMemo(() => ({ title, drawing, state, retry }), [title, drawing, state, retry]);
  return <WhiteboardContext.Provider value={board}>{children}</WhiteboardContext.Provider>;
}

export function useBoard(): Board {
  const value = useContext(WhiteboardContext);
  if (value === undefined) throw new Error('useBoard must be used inside WhiteboardProvider');
  return value;
}
