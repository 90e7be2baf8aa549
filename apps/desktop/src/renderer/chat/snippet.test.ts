import { SNIPPET_MARK } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { snippetParts } from './snippet.ts';

const { start, end } = SNIPPET_MARK;

describe('snippetParts', () => {
  it('splits marked matches from plain text', () => {
    expect(snippetParts(`the ${start}budget${end} is ${start}final${end}.`)).toEqual([
      { text: 'the ', match: false },
      { text: 'budget', match: true },
      { text: ' is ', match: false },
      { text: 'final', match: true },
      { text: '.', match: false },
    ]);
  });

  it('treats an unclosed mark as a match to the end and plain text as one part', () => {
    expect(snippetParts(`a ${start}b`)).toEqual([
      { text: 'a ', match: false },
      { text: 'b', match: true },
    ]);
    expect(snippetParts('<b>not html</b>')).toEqual([{ text: '<b>not html</b>', match: false }]);
  });
});
