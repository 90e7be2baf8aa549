/**
 * The meeting's whiteboard (issue 15): the same elements, merge, undo and messages as annotations
 * on a shared screen, on a board of its own instead of a video frame.
 *
 * - The board is a fixed 16:9 frame (`BOARD_FRAME`), so normalised geometry means the same place
 *   in every window and in the exported files.
 * - Everyone in the call may draw; only the author changes an element, and hosts may erase
 *   anyone's: `admitRemote` under `BOARD_POLICY`, on every client and on the server that keeps it.
 * - It travels on its own reliable topic (`WHITEBOARD_TOPIC`), and the coordination server keeps
 *   it with the meeting: each client saves its own records, the server merges them with
 *   `reconcile`, and a late joiner (or anyone after the meeting) reads the board from there.
 */
import type { AnnotationElement } from './element.ts';
import type { ElementDraft } from './edit.ts';
import type { AnnotationPolicy } from './permission.ts';
import { supersedes, type Scene } from './reconcile.ts';

export const WHITEBOARD_TOPIC = { topic: 'tandem.whiteboard.v1', reliable: true, maxBytes: 15_000 } as const;
export const WHITEBOARD_POINTER_TOPIC = {
  topic: 'tandem.whiteboard.pointer.v1',
  reliable: false,
  maxBytes: 1_200,
} as const;

/** The board's frame in pixels: what exports are drawn at, and the aspect every window shows. */
export const BOARD_FRAME = { width: 1600, height: 900 } as const;

export const WHITEBOARD_LIMITS = {
  /** Elements one board holds, tombstones included (an erased one still counts: it must not revive). */
  elements: 5_000,
  /** Records in one save. */
  recordsPerSave: 200,
  /** UTF-8 bytes of one save's records (the server refuses bodies above 64 KiB). */
  saveBytes: 60_000,
  /** A longer freehand stroke is drawn as several, so each fits one save. */
  pointsPerStroke: 3_000,
} as const;

/**
 * Nobody owns a board the way a sharer owns a screen: no identity equals the empty `sharerId`, so
 * no snapshot or permission message is trusted, everyone may draw, hosts are the moderators.
 */
export const BOARD_POLICY: AnnotationPolicy = { sharerId: '', allowed: true, version: 1 };

/**
 * A freehand draft as strokes of at most `max` points, each starting where the previous ended so
 * the line stays unbroken; other drafts come back as they are.
 */
export function splitStroke(draft: ElementDraft, max: number = WHITEBOARD_LIMITS.pointsPerStroke): ElementDraft[] {
  if ((draft.kind !== 'pen' && draft.kind !== 'highlighter') || draft.points.length <= max) return [draft];
  const parts: ElementDraft[] = [];
  for (let start = 0; start < draft.points.length - 1; start += max - 1)
    parts.push({ ...draft, points: draft.points.slice(start, start + max) });
  return parts;
}

/** The records of `incoming` that change `scene` (the winners of the merge), the last of each id. */
export function winners(scene: Scene, incoming: readonly AnnotationElement[]): AnnotationElement[] {
  const won = new Map<string, AnnotationElement>();
  for (const element of incoming) {
    const current = won.get(element.id) ?? scene.get(element.id);
    if (current === undefined || supersedes(element, current)) won.set(element.id, element);
  }
  return [...won.values()];
}
