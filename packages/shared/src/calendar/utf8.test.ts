import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from './utf8.ts';

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['会', 3],
    ['😀', 4],
    ['a\ud800b', 5],
  ])('%j is %i bytes', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });
});
