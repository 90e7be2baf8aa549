/**
 * The whiteboard's state and its pure parts: the annotation model (collab/annotations/model.ts)
 * under the board's policy, and how one's own records are cut into saves the server accepts.
 */
import { annotations, utf8ByteLength } from '@tandem/shared';
import { initialState, type AnnotationState } from '../collab/annotations/model.ts';

/** A board in a call: everyone may draw (the board's policy), drawing with the pen from the start. */
export function boardState(selfId: string, selfIsHost: boolean): AnnotationState {
  return { ...initialState(selfId, selfIsHost), policy: annotations.BOARD_POLICY, tool: 'pen' };
}

/** The saved board merged into what the call has drawn meanwhile: the one merge, in any order. */
export function withSaved(state: AnnotationState, saved: readonly annotations.AnnotationElement[]): AnnotationState {
  return saved.length === 0 ? state : { ...state, scene: annotations.reconcile(state.scene, saved) };
}

/**
 * Records as saves within the server's limits (count and bytes), in order. A record is never cut:
 * the board draws no stroke longer than one save holds (`splitStroke`).
 */
export function saveBatches(
  records: readonly annotations.AnnotationElement[],
  limits: { readonly records: number; readonly bytes: number } = {
    records: annotations.WHITEBOARD_LIMITS.recordsPerSave,
    bytes: annotations.WHITEBOARD_LIMITS.saveBytes,
  },
): annotations.AnnotationElement[][] {
  const batches: annotations.AnnotationElement[][] = [];
  let batch: annotations.AnnotationElement[] = [];
  let bytes = 2; // the array's brackets
  for (const record of records) {
    const size = utf8ByteLength(JSON.stringify(record)) + 1;
    if (batch.length > 0 && (batch.length >= limits.records || bytes + size > limits.bytes)) {
      batches.push(batch);
      batch = [];
      bytes = 2;
    }
    batch.push(record);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
