/**
 * The one merge every client runs on annotation elements, modelled on excalidraw's reconciliation.
 *
 * Per id, the winner is the maximum of a total order: higher `version`, then lower `versionNonce`,
 * then (only for two different records that collide on both, which a fresh random nonce makes
 * vanishingly rare) the smaller canonical JSON. Taking a maximum per id is commutative,
 * associative and idempotent, so every client that has received the same set of records holds
 * the same scene, whatever order the records arrived in and however often they were repeated.
 */
import type { AnnotationElement } from './element.ts';

/** A scene: every element known, tombstones included, keyed by id. */
export type Scene = ReadonlyMap<string, AnnotationElement>;

/** True when `candidate` should replace `current` for the same id. */
export function supersedes(candidate: AnnotationElement, current: AnnotationElement): boolean {
  if (candidate.version !== current.version) return candidate.version > current.version;
  if (candidate.versionNonce !== current.versionNonce) return candidate.versionNonce < current.versionNonce;
  return JSON.stringify(candidate) < JSON.stringify(current);
}

/** Merges remote records into a local scene; returns a new scene and leaves both inputs untouched. */
export function reconcile(local: Scene, remote: Iterable<AnnotationElement>): Scene {
  const merged = new Map(local);
  for (const element of remote) {
    const current = merged.get(element.id);
    if (current === undefined || supersedes(element, current)) merged.set(element.id, element);
  }
  return merged;
}

/** The elements to paint, bottom first: tombstones left out, ordered by index then id. */
export function paintOrder(scene: Scene): AnnotationElement[] {
  return [...scene.values()]
    .filter((element) => !element.isDeleted)
    .sort((a, b) => a.index - b.index || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
