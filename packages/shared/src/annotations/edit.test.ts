import { describe, expect, it } from 'vitest';
import {
  EMPTY_HISTORY,
  actionOf,
  clearAll,
  clearMine,
  createElement,
  erase,
  record,
  redo,
  undo,
  type ElementDraft,
} from './edit.ts';
import { AnnotationElementSchema } from './element.ts';
import { paintOrder, reconcile, type Scene } from './reconcile.ts';

const pen: ElementDraft = {
  kind: 'pen',
  color: '#3366ff',
  strokeWidth: 0.004,
  points: [
    [0.1, 0.1],
    [0.2, 0.25],
  ],
};
const box: ElementDraft = { kind: 'rectangle', color: '#3366ff', strokeWidth: 0.004, from: [0.1, 0.1], to: [0.5, 0.4] };
const EMPTY: Scene = new Map();

describe('createElement', () => {
  it('makes a valid version-1 record on top of the scene', () => {
    const first = createElement(EMPTY, pen, 'a', { authorId: 'alice' });
    const second = createElement(reconcile(EMPTY, [first]), box, 'b', { authorId: 'bob' });
    expect(AnnotationElementSchema.parse(second)).toEqual(second);
    expect([first.version, first.isDeleted, first.index, second.index]).toEqual([1, false, 0, 1]);
    expect(second.authorId).toBe('bob');
  });
});

describe('undo and redo', () => {
  it('undoes a drawing as a tombstone with a higher version, and redoes it as a newer live version', () => {
    let scene: Scene = EMPTY;
    const drawn = createElement(scene, pen, 'a', { authorId: 'alice' });
    let history = record(EMPTY_HISTORY, actionOf(scene, [drawn]));
    scene = reconcile(scene, [drawn]);

    const undone = undo(history, scene);
    history = undone.history;
    expect(undone.elements).toEqual([expect.objectContaining({ id: 'a', version: 2, isDeleted: true })]);
    scene = reconcile(scene, undone.elements);
    expect(paintOrder(scene)).toEqual([]);

    const redone = redo(history, scene);
    expect(redone.elements).toEqual([expect.objectContaining({ id: 'a', version: 3, isDeleted: false })]);
    scene = reconcile(scene, redone.elements);
    expect(paintOrder(scene).map((element) => element.id)).toEqual(['a']);
    expect(redone.history).toEqual({ undo: [[{ before: null, after: drawn }]], redo: [] });
  });

  it('undo of an erase brings the element back above the version a peer sees, so peers converge', () => {
    const drawn = createElement(EMPTY, box, 'a', { authorId: 'alice' });
    let scene = reconcile(EMPTY, [drawn]);
    const erased = erase(scene, ['a']);
    const history = record(EMPTY_HISTORY, actionOf(scene, erased));
    scene = reconcile(scene, erased);
    const peer = reconcile(reconcile(EMPTY, [drawn]), erased);

    const { elements } = undo(history, scene);
    expect(elements).toEqual([expect.objectContaining({ id: 'a', version: 3, isDeleted: false })]);
    expect(paintOrder(reconcile(peer, elements))).toEqual(paintOrder(reconcile(scene, elements)));
    expect(paintOrder(reconcile(peer, elements)).length).toBe(1);
  });

  it('does nothing with an empty history, and a new action clears redo', () => {
    expect(undo(EMPTY_HISTORY, EMPTY)).toEqual({ history: EMPTY_HISTORY, elements: [] });
    expect(redo(EMPTY_HISTORY, EMPTY)).toEqual({ history: EMPTY_HISTORY, elements: [] });
    const drawn = createElement(EMPTY, pen, 'a', { authorId: 'alice' });
    const history = undo(record(EMPTY_HISTORY, actionOf(EMPTY, [drawn])), reconcile(EMPTY, [drawn])).history;
    expect(record(history, actionOf(EMPTY, [drawn])).redo).toEqual([]);
  });
});

describe('clearing', () => {
  const scene = reconcile(EMPTY, [
    createElement(EMPTY, pen, 'mine', { authorId: 'alice' }),
    createElement(EMPTY, box, 'theirs', { authorId: 'bob' }),
  ]);

  it('clear mine tombstones only the author’s live elements', () => {
    const cleared = clearMine(scene, 'alice');
    expect(cleared.map((element) => [element.id, element.isDeleted, element.version])).toEqual([['mine', true, 2]]);
    expect(paintOrder(reconcile(scene, cleared)).map((element) => element.id)).toEqual(['theirs']);
  });

  it('clear all tombstones everything live, and skips what is already deleted', () => {
    const all = clearAll(scene);
    expect(all.map((element) => element.id).sort()).toEqual(['mine', 'theirs']);
    expect(clearAll(reconcile(scene, all))).toEqual([]);
  });
});
