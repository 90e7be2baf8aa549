/**
 * Local edits: every function returns new element records (never mutates) that the caller merges
 * into its own scene with `reconcile` and publishes on the annotations topic.
 *
 * Undo and redo do not rewrite history: undoing writes a new version whose content is the one
 * before the change (or a tombstone, if the change created the element); redo writes a new version
 * with the content after it. Other clients merge these like any other edit, so undo converges too.
 * A history holds only its owner's actions, so one can only undo one's own drawing.
 */
import { newVersionNonce, type AnnotationElement } from './element.ts';
import type { Scene } from './reconcile.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a tool produces; the bookkeeping fields are filled in by `createElement`. */
export type ElementDraft = DistributiveOmit<
  AnnotationElement,
  'id' | 'authorId' | 'version' | 'versionNonce' | 'index' | 'isDeleted'
>;

export type EditContext = {
  readonly authorId: string;
  /** Injectable so tests are reproducible; Math.random in the app. */
  readonly random?: () => number;
};

/** A new element on top of everything in the scene. `id` must be unique (crypto.randomUUID()). */
export function createElement(scene: Scene, draft: ElementDraft, id: string, ctx: EditContext): AnnotationElement {
  let top = -1;
  for (const element of scene.values()) top = Math.max(top, element.index);
  return {
    ...draft,
    id,
    authorId: ctx.authorId,
    version: 1,
    versionNonce: newVersionNonce(ctx.random),
    index: top + 1,
    isDeleted: false,
  };
}

/** The next version of an element with `content` (geometry, tombstone flag) in place of its own. */
export function nextVersion(
  current: AnnotationElement,
  content: AnnotationElement,
  random?: () => number,
): AnnotationElement {
  return { ...content, version: current.version + 1, versionNonce: newVersionNonce(random) };
}

/** Erasing tombstones: each id present in the scene and not yet deleted gets a deleted next version. */
export function erase(scene: Scene, ids: Iterable<string>, random?: () => number): AnnotationElement[] {
  const erased: AnnotationElement[] = [];
  for (const id of ids) {
    const current = scene.get(id);
    if (current !== undefined && !current.isDeleted)
      erased.push(nextVersion(current, { ...current, isDeleted: true }, random));
  }
  return erased;
}

/** "Clear mine": tombstones of every live element the author drew. */
export function clearMine(scene: Scene, authorId: string, random?: () => number): AnnotationElement[] {
  return erase(
    scene,
    idsWhere(scene, (element) => element.authorId === authorId),
    random,
  );
}

/** "Clear all", for the host or the sharer (permission.ts decides who may): tombstones of everything live. */
export function clearAll(scene: Scene, random?: () => number): AnnotationElement[] {
  return erase(
    scene,
    idsWhere(scene, () => true),
    random,
  );
}

function idsWhere(scene: Scene, keep: (element: AnnotationElement) => boolean): string[] {
  return [...scene.values()].filter((element) => !element.isDeleted && keep(element)).map((element) => element.id);
}

/** One element's state before and after an action; `before` is null when the action created it. */
export type Change = { readonly before: AnnotationElement | null; readonly after: AnnotationElement };
/** An undoable action: a finished stroke, an erase, a "clear mine". */
export type Action = readonly Change[];
export type History = { readonly undo: readonly Action[]; readonly redo: readonly Action[] };

export const EMPTY_HISTORY: History = { undo: [], redo: [] };

/** The action that turned `before` records into `after` records (matched by id). */
export function actionOf(scene: Scene, after: readonly AnnotationElement[]): Action {
  return after.map((element) => ({ before: scene.get(element.id) ?? null, after: element }));
}

/** Records a new action of the history's owner; a new action makes redo impossible, as everywhere. */
export function record(history: History, action: Action): History {
  return action.length === 0 ? history : { undo: [...history.undo, action], redo: [] };
}

export type HistoryStep = { readonly history: History; readonly elements: AnnotationElement[] };

export function undo(history: History, scene: Scene, random?: () => number): HistoryStep {
  const action = history.undo.at(-1);
  if (action === undefined) return { history, elements: [] };
  const elements = action.map((change) =>
    versionOver(scene, change.before ?? { ...change.after, isDeleted: true }, random),
  );
  return { history: { undo: history.undo.slice(0, -1), redo: [...history.redo, action] }, elements };
}

export function redo(history: History, scene: Scene, random?: () => number): HistoryStep {
  const action = history.redo.at(-1);
  if (action === undefined) return { history, elements: [] };
  const elements = action.map((change) => versionOver(scene, change.after, random));
  return { history: { undo: [...history.undo, action], redo: history.redo.slice(0, -1) }, elements };
}

/** `content` as a version above whatever the scene holds now, so it wins over edits made since. */
function versionOver(scene: Scene, content: AnnotationElement, random?: () => number): AnnotationElement {
  return nextVersion(scene.get(content.id) ?? content, content, random);
}
