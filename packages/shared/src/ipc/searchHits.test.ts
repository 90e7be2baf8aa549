import { describe, expect, it } from 'vitest';
import { SNIPPET_MARK } from './records.ts';
import { markedSnippet } from './searchHits.ts';

const shown = (snippet: string) => snippet.replaceAll(SNIPPET_MARK.start, '[').replaceAll(SNIPPET_MARK.end, ']');

describe('markedSnippet', () => {
  it('marks every word of the query without case, keeping the text as written', () => {
    expect(shown(markedSnippet('Orbit plan: the ORBIT launch', 'orbit plan'))).toBe(
      '[Orbit] [plan]: the [ORBIT] launch',
    );
  });

  it('keeps context around the first match of a long message, and says what it cut', () => {
    const body = `${'a'.repeat(100)} needle ${'b'.repeat(200)}`;
    const snippet = shown(markedSnippet(body, 'needle'));
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('[needle]');
    expect(snippet.length).toBeLessThan(160);
  });

  it('treats the query as words, never as a pattern', () => {
    expect(shown(markedSnippet('costs (a+b) today', 'a+b'))).toBe('costs ([a]+[b]) today');
    expect(markedSnippet('nothing here', '*')).toBe('nothing here');
  });
});
