/**
 * The state of annotation in one call and its pure transitions. The Room wiring (annotationSync.ts)
 * feeds it local edits and received messages; components read it. Kept free of livekit-client so
 * every rule here is tested without a Room.
 */
import { annotations } from '@tandem/shared';

export const TOOLS = ['pen', 'highlighter', 'arrow', 'rectangle', 'ellipse', 'text', 'eraser'] as const;
/** The whiteboard's tools: the screen's, and sticky notes. */
export const BOARD_TOOLS = ['pen', 'highlighter', 'arrow', 'rectangle', 'ellipse', 'text', 'sticky', 'eraser'] as const;
export type Tool = (typeof BOARD_TOOLS)[number];

export type RemotePointer = { readonly at: annotations.NormalizedPoint; readonly color: string; readonly seq: number };

export type AnnotationState = {
  /** Our LiveKit identity; empty until the Room is connected. */
  readonly selfId: string;
  readonly selfIsHost: boolean;
  /** Null while nobody shares a screen: there is nothing to draw on. */
  readonly policy: annotations.AnnotationPolicy | null;
  readonly scene: annotations.Scene;
  readonly history: annotations.History;
  /** The active tool; null when not annotating, so clicks reach the tile underneath. */
  readonly tool: Tool | null;
  /** Live pointers of others, by identity; the last `seq` seen is kept after one hides. */
  readonly pointers: ReadonlyMap<string, RemotePointer | { readonly hidden: true; readonly seq: number }>;
};

export const EMPTY_SCENE: annotations.Scene = new Map();

export function initialState(selfId: string, selfIsHost: boolean): AnnotationState {
  return {
    selfId,
    selfIsHost,
    policy: null,
    scene: EMPTY_SCENE,
    history: annotations.EMPTY_HISTORY,
    tool: null,
    pointers: new Map(),
  };
}

/** A new share starts a new drawing: the previous one belonged to the previous screen. */
export function shareChanged(state: AnnotationState, sharerId: string | null): AnnotationState {
  if ((state.policy?.sharerId ?? null) === sharerId) return state;
  return {
    ...initialState(state.selfId, state.selfIsHost),
    policy: sharerId === null ? null : annotations.initialPolicy(sharerId),
  };
}

export function canDraw(state: AnnotationState): boolean {
  return state.policy !== null && annotations.canAnnotate(state.policy, state.selfId);
}

export function isModerator(state: AnnotationState): boolean {
  return state.policy !== null && annotations.isModerator(state.policy, { id: state.selfId, isHost: state.selfIsHost });
}

/** Whether we may erase this element: our own always, anyone's as a moderator. */
export function canErase(state: AnnotationState, element: annotations.AnnotationElement): boolean {
  return element.authorId === state.selfId || isModerator(state);
}

/** Merges our own records; `history` replaces the history when the edit was an undo or redo. */
export function applyLocal(
  state: AnnotationState,
  records: readonly annotations.AnnotationElement[],
  history: annotations.History = annotations.record(state.history, annotations.actionOf(state.scene, records)),
): AnnotationState {
  return { ...state, scene: annotations.reconcile(state.scene, records), history };
}

export type Sender = annotations.Participant;

/** What receiving a message asks of us besides the new state. */
export type Reply = 'none' | 'snapshot';

/**
 * One message on the annotations topic from `sender`. Chunks go through `assembler` first;
 * records through `admitRemote`, so a client that may not draw cannot. Only the sharer answers
 * snapshot requests.
 */
export function receiveAnnotation(
  state: AnnotationState,
  message: annotations.AnnotationMessage,
  sender: Sender,
  assembler: annotations.ChunkAssembler,
): { readonly state: AnnotationState; readonly reply: Reply } {
  const { policy } = state;
  if (policy === null) return { state, reply: 'none' };
  const merge = (records: readonly annotations.AnnotationElement[], snapshot: boolean | undefined) => {
    const admitted = annotations.admitRemote(state.scene, records, sender, policy, snapshot ? { snapshot } : {});
    return admitted.length === 0 ? state : { ...state, scene: annotations.reconcile(state.scene, admitted) };
  };
  switch (message.t) {
    case 'elements':
      return { state: merge(message.elements, message.snapshot), reply: 'none' };
    case 'chunk': {
      const whole = assembler.add(message, sender.id);
      return { state: whole === null ? state : merge([whole], message.snapshot), reply: 'none' };
    }
    case 'snapshot-request':
      return { state, reply: policy.sharerId === state.selfId ? 'snapshot' : 'none' };
    case 'permission':
      return { state: { ...state, policy: annotations.applyPolicy(policy, message, sender.id) }, reply: 'none' };
    default: {
      const never: never = message;
      throw new Error(`unknown annotation message ${String(never)}`);
    }
  }
}

/** A live pointer; one overtaken by a newer one from the same sender is dropped. */
export function receivePointer(
  state: AnnotationState,
  message: annotations.PointerMessage,
  senderId: string,
): AnnotationState {
  const last = state.pointers.get(senderId);
  if (last !== undefined && message.seq <= last.seq) return state;
  const pointers = new Map(state.pointers);
  pointers.set(
    senderId,
    message.t === 'pointer'
      ? { at: message.at, color: message.color, seq: message.seq }
      : { hidden: true, seq: message.seq },
  );
  return { ...state, pointers };
}
