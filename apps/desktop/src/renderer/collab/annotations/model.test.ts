import { annotations } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { applyLocal, canErase, initialState, receiveAnnotation, receivePointer, shareChanged } from './model.ts';

const SHARER = 'sharer';
const VIEWER = 'viewer';
const OTHER = 'other';

function stroke(authorId: string, id: string): annotations.AnnotationElement {
  return {
    id,
    authorId,
    version: 1,
    versionNonce: 7,
    index: 0,
    isDeleted: false,
    color: '#ff5d5d',
    strokeWidth: 0.004,
    kind: 'pen',
    points: [
      [0.1, 0.2],
      [0.3, 0.4],
    ],
  };
}

const viewing = (selfId: string, isHost = false) => shareChanged(initialState(selfId, isHost), SHARER);
const elements = (...records: annotations.AnnotationElement[]): annotations.AnnotationMessage => ({
  t: 'elements',
  elements: records,
});

describe('annotation model', () => {
  it('drops a stroke from someone who may not draw, and merges it once the sharer allows drawing', () => {
    const assembler = new annotations.ChunkAssembler();
    let state = viewing(VIEWER);
    const from = { id: OTHER, isHost: false };
    state = receiveAnnotation(state, elements(stroke(OTHER, 'a')), from, assembler).state;
    expect(state.scene.size).toBe(0);

    // Only the sharer's switch counts.
    state = receiveAnnotation(state, { t: 'permission', allowed: true, version: 1 }, from, assembler).state;
    expect(state.policy?.allowed).toBe(false);
    state = receiveAnnotation(
      state,
      { t: 'permission', allowed: true, version: 1 },
      { id: SHARER, isHost: false },
      assembler,
    ).state;
    state = receiveAnnotation(state, elements(stroke(OTHER, 'a')), from, assembler).state;
    expect([...state.scene.keys()]).toEqual(['a']);
  });

  it('has only the sharer answer a snapshot request', () => {
    const assembler = new annotations.ChunkAssembler();
    const request = { t: 'snapshot-request' } as const;
    expect(receiveAnnotation(viewing(SHARER), request, { id: VIEWER, isHost: false }, assembler).reply).toBe(
      'snapshot',
    );
    expect(receiveAnnotation(viewing(OTHER), request, { id: VIEWER, isHost: false }, assembler).reply).toBe('none');
  });

  it('takes the sharer’s snapshot whole, others’ elements included, for a late joiner', () => {
    const assembler = new annotations.ChunkAssembler();
    const [message] = annotations.snapshot(new Map([['a', stroke(OTHER, 'a')]]));
    if (message === undefined) throw new Error('no snapshot message');
    const state = receiveAnnotation(viewing(VIEWER), message, { id: SHARER, isHost: false }, assembler).state;
    expect(state.scene.get('a')?.authorId).toBe(OTHER);
  });

  it('records own edits for undo and lets a host erase anyone’s element but a viewer only their own', () => {
    const mine = stroke(VIEWER, 'm');
    const state = applyLocal(viewing(VIEWER), [mine]);
    expect(state.history.undo).toHaveLength(1);
    const step = annotations.undo(state.history, state.scene);
    const undone = applyLocal(state, step.elements, step.history);
    expect(undone.scene.get('m')?.isDeleted).toBe(true);
    expect(canErase(state, mine)).toBe(true);
    expect(canErase(state, stroke(OTHER, 'o'))).toBe(false);
    expect(canErase(viewing('host', true), stroke(OTHER, 'o'))).toBe(true);
  });

  it('starts a new drawing when another screen is shared, and keeps it while the same one is', () => {
    const state = applyLocal(viewing(VIEWER), [stroke(VIEWER, 'm')]);
    expect(shareChanged(state, SHARER)).toBe(state);
    const next = shareChanged(state, OTHER);
    expect(next.scene.size).toBe(0);
    expect(next.policy?.sharerId).toBe(OTHER);
    expect(shareChanged(next, null).policy).toBeNull();
  });

  it('drops a live pointer overtaken by a newer one', () => {
    let state = viewing(VIEWER);
    state = receivePointer(state, { t: 'pointer', seq: 5, at: [0.5, 0.5], color: '#ff5d5d' }, OTHER);
    state = receivePointer(state, { t: 'pointer', seq: 4, at: [0.1, 0.1], color: '#ff5d5d' }, OTHER);
    expect(state.pointers.get(OTHER)).toMatchObject({ seq: 5, at: [0.5, 0.5] });
    state = receivePointer(state, { t: 'pointer-hidden', seq: 6 }, OTHER);
    expect(state.pointers.get(OTHER)).toEqual({ hidden: true, seq: 6 });
  });
});
