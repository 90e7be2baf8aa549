import { describe, expect, it } from 'vitest';
import { createElement } from './edit.ts';
import type { AnnotationElement, NormalizedPoint } from './element.ts';
import {
  ANNOTATIONS_TOPIC,
  AnnotationMessageSchema,
  ChunkAssembler,
  POINTER_TOPIC,
  PointerMessageSchema,
  encodeElements,
  messageBytes,
  snapshot,
  type AnnotationMessage,
  type ChunkMessage,
} from './messages.ts';
import { reconcile, type Scene } from './reconcile.ts';

const EMPTY: Scene = new Map();

function longStroke(id: string, count: number): AnnotationElement {
  const points: NormalizedPoint[] = Array.from({ length: count }, (_, i) => [
    Math.round((i / count) * 10_000) / 10_000,
    Math.round((((i * 7919) % count) / count) * 10_000) / 10_000,
  ]);
  return createElement(EMPTY, { kind: 'pen', color: '#00aa00', strokeWidth: 0.003, points }, id, { authorId: 'alice' });
}

/** What a receiver does: validate the JSON, collect chunks, merge. */
function receive(messages: readonly AnnotationMessage[]): Scene {
  const assembler = new ChunkAssembler();
  let scene: Scene = EMPTY;
  for (const message of messages) {
    const parsed = AnnotationMessageSchema.parse(JSON.parse(JSON.stringify(message)));
    if (parsed.t === 'elements') scene = reconcile(scene, parsed.elements);
    if (parsed.t === 'chunk') {
      const whole = assembler.add(parsed, 'alice');
      if (whole !== null) scene = reconcile(scene, [whole]);
    }
  }
  return scene;
}

describe('topics', () => {
  it('say reliable explicitly: strokes reliable, pointers lossy', () => {
    expect(ANNOTATIONS_TOPIC).toMatchObject({ topic: 'tandem.annotations.v1', reliable: true });
    expect(POINTER_TOPIC).toMatchObject({ topic: 'tandem.pointer.v1', reliable: false });
  });

  it('validate pointer messages and reject points outside the frame', () => {
    expect(PointerMessageSchema.safeParse({ t: 'pointer', seq: 1, at: [0.5, 0.5], color: '#112233' }).success).toBe(
      true,
    );
    expect(PointerMessageSchema.safeParse({ t: 'pointer', seq: 1, at: [1.5, 0.5], color: '#112233' }).success).toBe(
      false,
    );
    expect(AnnotationMessageSchema.safeParse({ t: 'erase-everything' }).success).toBe(false);
  });
});

describe('encodeElements', () => {
  it('packs small records into one message', () => {
    const elements = [longStroke('a', 3), longStroke('b', 3)];
    expect(encodeElements(elements)).toEqual([{ t: 'elements', elements }]);
  });

  it('keeps every message within the budget and delivers every record, in any chunk order', () => {
    const elements = [longStroke('short', 10), longStroke('long', 5_000), longStroke('medium', 400)];
    const messages = encodeElements(elements, { maxBytes: 4_000 });
    expect(messages.some((message) => message.t === 'chunk')).toBe(true);
    for (const message of messages) expect(messageBytes(message)).toBeLessThanOrEqual(4_000);

    const reversed = [...messages].reverse();
    for (const delivery of [messages, reversed]) {
      const scene = receive(delivery);
      expect([...scene.values()].sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual(
        [...elements].sort((a, b) => (a.id < b.id ? -1 : 1)),
      );
    }
  });

  it('fits the default budget with a maximal stroke', () => {
    for (const message of encodeElements([longStroke('max', 20_000)])) {
      expect(messageBytes(message)).toBeLessThanOrEqual(ANNOTATIONS_TOPIC.maxBytes);
    }
  });
});

describe('snapshot', () => {
  it('gives a late joiner the whole scene, tombstones included, marked as a snapshot', () => {
    const live = longStroke('live', 50);
    const gone = { ...longStroke('gone', 50), version: 2, isDeleted: true };
    const scene = reconcile(EMPTY, [live, gone]);
    const messages = snapshot(scene);
    expect(messages.every((message) => 'snapshot' in message && message.snapshot === true)).toBe(true);
    expect(receive(messages)).toEqual(scene);
  });
});

describe('ChunkAssembler', () => {
  const chunks = encodeElements([longStroke('s', 2_000)], { maxBytes: 3_000 }) as ChunkMessage[];

  it('waits for every part and ignores repeats', () => {
    const assembler = new ChunkAssembler();
    const [first, ...rest] = chunks;
    expect(first).toBeDefined();
    if (first === undefined) return;
    expect(assembler.add(first, 'alice')).toBeNull();
    expect(assembler.add(first, 'alice')).toBeNull();
    const results = rest.map((chunk) => assembler.add(chunk, 'alice'));
    expect(results.slice(0, -1).every((result) => result === null)).toBe(true);
    expect(results.at(-1)?.points.length).toBe(2_000);
  });

  it('does not mix chunks of the same record from different senders', () => {
    const assembler = new ChunkAssembler();
    const [first, ...rest] = chunks;
    if (first === undefined) throw new Error('expected chunks');
    assembler.add(first, 'mallory');
    expect(rest.map((chunk) => assembler.add(chunk, 'alice')).every((result) => result === null)).toBe(true);
  });

  it('rejects a chunk that disagrees on the number of parts', () => {
    const assembler = new ChunkAssembler();
    const [first, second] = chunks;
    if (first === undefined || second === undefined) throw new Error('expected two chunks');
    assembler.add(first, 'alice');
    expect(assembler.add({ ...second, parts: second.parts + 1 }, 'alice')).toBeNull();
  });

  it('forgets the oldest incomplete stroke beyond its bound', () => {
    const assembler = new ChunkAssembler(1);
    const other = encodeElements([longStroke('t', 2_000)], { maxBytes: 3_000 }) as ChunkMessage[];
    const [first, ...rest] = chunks;
    if (first === undefined) throw new Error('expected chunks');
    assembler.add(first, 'alice');
    assembler.add(other[0] as ChunkMessage, 'alice');
    expect(rest.map((chunk) => assembler.add(chunk, 'alice')).every((result) => result === null)).toBe(true);
  });
});
