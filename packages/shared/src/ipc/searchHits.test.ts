import { describe, expect, it } from 'vitest';
import { SNIPPET_MARK } from './records.ts';
import { containsQuery, markedSnippet, mergeTranscriptHits, transcriptFilter } from './searchHits.ts';

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

describe('mergeTranscriptHits', () => {
  const segment = (id: string, at: string, text: string, userId: string | null = 'u1') => ({
    id,
    meetingId: 'm1',
    speaker: { userId, name: 'Grace' },
    startedAt: at,
    endedAt: at,
    text,
  });
  const held = [
    {
      meetingTitle: 'Budget',
      segment: segment('s1', '2026-11-26T10:00:00.000Z', 'the budget'),
      snippet: 'the [budget]',
    },
  ];
  const server = [
    { meetingTitle: 'Budget', segment: segment('s1', '2026-11-26T10:00:00.000Z', 'the budget') },
    { meetingTitle: 'Plan', segment: segment('s2', '2026-11-27T10:00:00.000Z', 'budget later', null) },
  ];

  it('adds what only the server found, snipped, newest first, once each', () => {
    const hits = mergeTranscriptHits(held, server, 'budget', 10);
    expect(hits.map((h) => [h.segment.id, shown(h.snippet)])).toEqual([
      ['s2', '[budget] later'],
      ['s1', 'the [budget]'],
    ]);
    expect(mergeTranscriptHits(held, null, 'budget', 10)).toEqual(held);
    expect(mergeTranscriptHits(held, server, 'budget', 1).map((h) => h.segment.id)).toEqual(['s2']);
  });

  it('narrows nothing itself: each source applied the filters before its limit', () => {
    // A server hit by another speaker stays: the server was asked with the filter, and answered.
    expect(mergeTranscriptHits([], server, 'budget', 10).map((h) => h.segment.id)).toEqual(['s2', 's1']);
  });
});

describe('transcriptFilter', () => {
  it('passes on the speaker and time filters, and asks nothing in a conversation or among files', () => {
    const range = { after: '2026-11-27T00:00:00.000Z', before: '2026-11-28T00:00:00.000Z' };
    expect(transcriptFilter({ from: 'u1', ...range, hasFile: false })).toEqual({ from: 'u1', ...range });
    expect(transcriptFilter({ from: undefined })).toEqual({});
    expect(transcriptFilter({ conversationId: 'c1' })).toBeNull();
    expect(transcriptFilter({ hasFile: true, from: 'u1' })).toBeNull();
  });
});

describe('containsQuery', () => {
  it('wants every word, each as the start of a word, without case', () => {
    expect(containsQuery('Grace, please send the Budget by Friday.', 'budg fri')).toBe(true);
    expect(containsQuery('Grace, please send the Budget by Friday.', 'udget')).toBe(false);
    expect(containsQuery('Grace, please send the Budget by Friday.', 'budget monday')).toBe(false);
    expect(containsQuery('anything', '   ')).toBe(true);
  });

  it('marks the whole text when asked to keep all of it', () => {
    const long = `${'a '.repeat(100)}needle${' b'.repeat(100)}`;
    expect(shown(markedSnippet(long, 'needle', Infinity))).toBe(long.replace('needle', '[needle]'));
  });
});
