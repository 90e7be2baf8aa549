import { lazySchema } from '../lazySchema.ts';
/**
 * The LiveKit data messages of annotation, on two namespaced topics:
 *
 * | topic                    | reliable | carries                                             | budget        |
 * | ------------------------ | -------- | --------------------------------------------------- | ------------- |
 * | `tandem.annotations.v1`  | true     | element records, stroke chunks, snapshot requests,  | 15 000 bytes  |
 * |                          |          | the sharer's permission switch                      |               |
 * | `tandem.pointer.v1`      | false    | live pointers (a lost one is replaced by the next)  | 1 200 bytes   |
 *
 * Budgets are UTF-8 bytes of the JSON payload, kept under LiveKit's limits (15 KiB for a reliable
 * packet, about one MTU for a lossy one). `encodeElements` packs records into as few messages as fit;
 * a stroke too long for one message travels as `chunk` messages, each a valid element record
 * holding a slice of the points, reassembled by `ChunkAssembler` before it is merged.
 *
 * Late joiners publish `snapshot-request`; the sharer alone answers (so a room does not flood),
 * sending `snapshot(scene)` to the requester with `snapshot: true`, tombstones included so that
 * stale updates still in flight cannot revive erased elements.
 */
import { z } from 'zod';
import { utf8ByteLength } from '../calendar/utf8.ts';
import {
  AnnotationElementSchema,
  MAX_STROKE_POINTS,
  NormalizedPointSchema,
  type AnnotationElement,
  type FreehandElement,
  type NormalizedPoint,
} from './element.ts';
import type { Scene } from './reconcile.ts';

export const ANNOTATIONS_TOPIC = {
  topic: 'tandem.annotations.v1',
  reliable: true,
  maxBytes: 15_000,
} as const;
export const POINTER_TOPIC = { topic: 'tandem.pointer.v1', reliable: false, maxBytes: 1_200 } as const;

/** A stroke longer than this many chunks is refused: MAX_STROKE_POINTS fit well within it. */
const MAX_CHUNKS = 64;

export const AnnotationMessageSchema = lazySchema(() =>
  z.discriminatedUnion('t', [
    z.object({
      t: z.literal('elements'),
      elements: z.array(AnnotationElementSchema).min(1).readonly(),
      /** Set on the sharer's answer to a snapshot request. */
      snapshot: z.boolean().optional(),
    }),
    z.object({
      t: z.literal('chunk'),
      /** A pen or highlighter record whose `points` are the slice numbered `part`. */
      element: AnnotationElementSchema,
      part: z.number().int().min(0),
      parts: z.number().int().min(2).max(MAX_CHUNKS),
      snapshot: z.boolean().optional(),
    }),
    z.object({ t: z.literal('snapshot-request') }),
    z.object({ t: z.literal('permission'), allowed: z.boolean(), version: z.number().int().positive() }),
  ]),
);
export type AnnotationMessage = z.infer<typeof AnnotationMessageSchema>;
export type ChunkMessage = Extract<AnnotationMessage, { t: 'chunk' }>;

export const PointerMessageSchema = lazySchema(() =>
  z.discriminatedUnion('t', [
    z.object({
      t: z.literal('pointer'),
      /** Grows per sender: a lossy packet overtaken by a newer one is dropped. */
      seq: z.number().int().nonnegative(),
      at: NormalizedPointSchema,
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    }),
    z.object({ t: z.literal('pointer-hidden'), seq: z.number().int().nonnegative() }),
  ]),
);
export type PointerMessage = z.infer<typeof PointerMessageSchema>;

/** UTF-8 bytes of a message as published (JSON). */
export function messageBytes(message: AnnotationMessage | PointerMessage): number {
  return utf8ByteLength(JSON.stringify(message));
}

/** Element records as reliable messages within the budget, in order. */
export function encodeElements(
  elements: readonly AnnotationElement[],
  options: { readonly snapshot?: boolean; readonly maxBytes?: number } = {},
): AnnotationMessage[] {
  const maxBytes = options.maxBytes ?? ANNOTATIONS_TOPIC.maxBytes;
  const flag = options.snapshot === true ? { snapshot: true } : {};
  const envelope = messageBytes({ t: 'elements', elements: [], ...flag });
  const messages: AnnotationMessage[] = [];
  let batch: AnnotationElement[] = [];
  let batchBytes = envelope;
  const flush = (): void => {
    if (batch.length > 0) messages.push({ t: 'elements', elements: batch, ...flag });
    batch = [];
    batchBytes = envelope;
  };
  for (const element of elements) {
    const bytes = utf8ByteLength(JSON.stringify(element)) + 1; // + the separating comma
    if (envelope + bytes > maxBytes && (element.kind === 'pen' || element.kind === 'highlighter')) {
      flush();
      messages.push(...chunk(element, maxBytes, flag));
      continue;
    }
    if (batchBytes + bytes > maxBytes) flush();
    batch.push(element);
    batchBytes += bytes;
  }
  flush();
  return messages;
}

/** Everything a late joiner needs, tombstones included. */
export function snapshot(scene: Scene, maxBytes?: number): AnnotationMessage[] {
  return encodeElements([...scene.values()], { snapshot: true, ...(maxBytes === undefined ? {} : { maxBytes }) });
}

/** Room left in a chunk for the digits of `part` and `parts`, unknown while slicing. */
const PART_DIGITS_SLACK = 8;

function chunk(element: FreehandElement, maxBytes: number, flag: { snapshot?: boolean }): ChunkMessage[] {
  const empty = messageBytes({ t: 'chunk', element: { ...element, points: [] }, part: 0, parts: 2, ...flag });
  const room = maxBytes - empty - PART_DIGITS_SLACK;
  const slices: NormalizedPoint[][] = [];
  let slice: NormalizedPoint[] = [];
  let sliceBytes = 0;
  for (const point of element.points) {
    const bytes = JSON.stringify(point).length + 1;
    if (sliceBytes + bytes > room && slice.length > 0) {
      slices.push(slice);
      slice = [];
      sliceBytes = 0;
    }
    slice.push(point);
    sliceBytes += bytes;
  }
  slices.push(slice);
  return slices.map((points, part) => ({
    t: 'chunk',
    element: { ...element, points },
    part,
    parts: slices.length,
    ...flag,
  }));
}

/**
 * Collects the chunks of long strokes until each is complete. Chunks of one record share sender,
 * id, version and nonce (the sender is part of the key, so nobody can splice points into
 * another's stroke; `admitRemote` then judges the whole record against that sender); a newer record of the same id does not cancel an older one still arriving,
 * because reconcile sorts them out once both are whole. At most `maxPending` strokes are held; the
 * oldest is dropped first (a reliable topic delivers every chunk, so only a departed sender leaves
 * one incomplete).
 */
export class ChunkAssembler {
  readonly #pending = new Map<string, { parts: (readonly NormalizedPoint[] | undefined)[]; head: FreehandElement }>();
  readonly #maxPending: number;

  constructor(maxPending = 32) {
    this.#maxPending = maxPending;
  }

  /** The whole record once its last chunk arrives; null until then or when the chunk is inconsistent. */
  add(message: ChunkMessage, senderId: string): FreehandElement | null {
    const { element, part, parts } = message;
    if ((element.kind !== 'pen' && element.kind !== 'highlighter') || part >= parts) return null;
    const key = [senderId, element.id, element.version, element.versionNonce].join('\u0000');
    const entry = this.#pending.get(key) ?? { parts: new Array<undefined>(parts).fill(undefined), head: element };
    if (entry.parts.length !== parts) return null;
    entry.parts[part] = element.points;
    this.#pending.delete(key); // re-inserted below, so the map stays ordered oldest first
    if (entry.parts.some((slice) => slice === undefined)) {
      this.#pending.set(key, entry);
      if (this.#pending.size > this.#maxPending) this.#pending.delete(this.#pending.keys().next().value ?? key);
      return null;
    }
    const points = entry.parts.flatMap((slice) => slice ?? []);
    return points.length > MAX_STROKE_POINTS ? null : { ...entry.head, points };
  }
}
