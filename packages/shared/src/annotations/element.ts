import { lazySchema } from '../lazySchema.ts';
/**
 * Annotation elements: what participants draw on a shared screen.
 *
 * Invariants (the merge in reconcile.ts relies on them):
 * - An element record is immutable. Every change (moving on with a stroke, erasing, undo, redo)
 *   produces a new record with the same `id`, `version + 1` and a fresh `versionNonce`.
 * - Erasing never removes a record: it sets `isDeleted` (a tombstone), so a stale update that
 *   arrives later loses against the higher tombstone version instead of reviving the element.
 * - Geometry is normalised to the shared video frame: x and y in 0..1 from its top-left corner,
 *   whatever size the frame is shown at. Lengths (stroke width, text size) are fractions of the
 *   frame height. frame.ts maps them to and from pixels of a letterboxed video element.
 */
import { z } from 'zod';

/** Four decimals are 0.4 px on a 4K frame: finer precision only inflates messages. */
const PRECISION = 10_000;

const unit = lazySchema(() => z.number().min(0).max(1));

export const NormalizedPointSchema = lazySchema(() => z.tuple([unit, unit]).readonly());
export type NormalizedPoint = z.infer<typeof NormalizedPointSchema>;

/** Most points one stroke may carry; longer strokes travel chunked (messages.ts) and are then capped here. */
export const MAX_STROKE_POINTS = 20_000;
export const MAX_TEXT_LENGTH = 2_000;

const base = {
  id: lazySchema(() => z.string().min(1).max(64)),
  /** LiveKit identity of who drew it: only they may change it, except a moderator's tombstone. */
  authorId: lazySchema(() => z.string().min(1).max(128)),
  /** Starts at 1 and grows with every change: the higher version wins a merge. */
  version: lazySchema(() => z.number().int().positive()),
  /** Random per version: breaks the tie when two changes share a version (the lower nonce wins). */
  versionNonce: lazySchema(() =>
    z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  ),
  /** Paint order: higher is painted later (on top); equal indices are ordered by id. */
  index: lazySchema(() => z.number().int().nonnegative()),
  /** Tombstone: an erased element stays in the scene and is not painted. */
  isDeleted: lazySchema(() => z.boolean()),
  /** The author's colour, so everyone sees who drew what. */
  color: lazySchema(() => z.string().regex(/^#[0-9a-fA-F]{6}$/)),
  /** Line width as a fraction of the frame height. */
  strokeWidth: lazySchema(() => z.number().positive().max(0.1)),
};

const FreehandSchema = lazySchema(() =>
  z
    .object({
      ...base,
      kind: z.enum(['pen', 'highlighter']),
      points: z.array(NormalizedPointSchema).min(1).max(MAX_STROKE_POINTS).readonly(),
    })
    .readonly(),
);

/** Arrow from tail to head; rectangle and ellipse span the box between two opposite corners. */
const TwoPointSchema = lazySchema(() =>
  z
    .object({
      ...base,
      kind: z.enum(['arrow', 'rectangle', 'ellipse']),
      from: NormalizedPointSchema,
      to: NormalizedPointSchema,
    })
    .readonly(),
);

const TextSchema = lazySchema(() =>
  z
    .object({
      ...base,
      kind: z.literal('text'),
      /** Top-left corner of the first line. */
      at: NormalizedPointSchema,
      text: z.string().min(1).max(MAX_TEXT_LENGTH),
      /** Line height as a fraction of the frame height. */
      fontSize: z.number().positive().max(0.5),
    })
    .readonly(),
);

/** A sticky note (the whiteboard's): a filled square in the author's colour with text on it. */
const StickySchema = lazySchema(() =>
  z
    .object({
      ...base,
      kind: z.literal('sticky'),
      /** Top-left corner of the note. */
      at: NormalizedPointSchema,
      /** May hold line breaks; each is a line on the note. */
      text: z.string().min(1).max(MAX_TEXT_LENGTH),
      /** Line height as a fraction of the frame height. */
      fontSize: z.number().positive().max(0.5),
      /** The square's side as a fraction of the frame height. */
      side: z.number().positive().max(1),
    })
    .readonly(),
);

export const AnnotationElementSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [FreehandSchema, TwoPointSchema, TextSchema, StickySchema]),
);

export type FreehandElement = z.infer<typeof FreehandSchema>;
export type TwoPointElement = z.infer<typeof TwoPointSchema>;
export type TextElement = z.infer<typeof TextSchema>;
export type StickyElement = z.infer<typeof StickySchema>;
export type AnnotationElement = z.infer<typeof AnnotationElementSchema>;
export type AnnotationKind = AnnotationElement['kind'];

/** Rounds to the precision elements are stored at, clamping into the frame. */
export function quantize(point: NormalizedPoint): NormalizedPoint {
  const q = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * PRECISION) / PRECISION;
  return [q(point[0]), q(point[1])];
}

/** A fresh tiebreak nonce. `random` is injectable so tests are reproducible. */
export function newVersionNonce(random: () => number = Math.random): number {
  return Math.floor(random() * 2 ** 31);
}
