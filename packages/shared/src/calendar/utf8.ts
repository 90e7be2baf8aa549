/**
 * UTF-8 sizes without TextEncoder (packages/shared compiles against plain ES2023, no DOM or Node
 * types). Used by the ICS line folding and by the annotation message size budget.
 */

/** Bytes the UTF-8 encoding of one code point takes. */
export function utf8CodePointLength(codePoint: number): 1 | 2 | 3 | 4 {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/** Bytes in the UTF-8 encoding of `text` (a lone surrogate counts as U+FFFD, as encoders write it). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (const char of text) bytes += utf8CodePointLength(char.codePointAt(0) ?? 0);
  return bytes;
}
