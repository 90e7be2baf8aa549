import { describe, expect, it } from 'vitest';
import { insertMention, matchPeople, mentionQueryAt } from './mentionQuery.ts';

const ADA = { id: 'u-ada', name: 'Ada Demo' };
const GRACE = { id: 'u-grace', name: 'Grace Demo' };
const ADAM = { id: 'u-adam', name: 'adam Smith' };
const LINUS = { id: 'u-linus', name: 'Linus Adler' };
const PEOPLE = [GRACE, LINUS, ADA, ADAM];

describe('mentionQueryAt', () => {
  it('finds the mention at the caret: @ then letters, at the start or after a non-word character', () => {
    expect(mentionQueryAt('@Ad', 3)).toEqual({ start: 0, query: 'Ad' });
    expect(mentionQueryAt('hi (@gr', 7)).toEqual({ start: 4, query: 'gr' });
    expect(mentionQueryAt('hi @Ada D', 9)).toEqual({ start: 3, query: 'Ada D' });
    // The caret decides, not the end of the text.
    expect(mentionQueryAt('@Ad and more', 3)).toEqual({ start: 0, query: 'Ad' });
  });

  it('is no mention: a bare @, an e-mail address, a trailing space, a digit first', () => {
    expect(mentionQueryAt('hi @', 4)).toBeNull();
    expect(mentionQueryAt('mail grace@tandem', 17)).toBeNull();
    expect(mentionQueryAt('@Ada Demo ', 10)).toBeNull();
    expect(mentionQueryAt('@1', 2)).toBeNull();
    expect(mentionQueryAt('@Ad\nmore', 8)).toBeNull();
  });
});

describe('matchPeople', () => {
  it('puts names starting with the query first, then a later word starting with it, in any case', () => {
    expect(matchPeople(PEOPLE, 'ad')).toEqual([ADA, ADAM, LINUS]);
    expect(matchPeople(PEOPLE, 'DEM')).toEqual([ADA, GRACE]);
    expect(matchPeople(PEOPLE, 'ada d')).toEqual([ADA]);
    expect(matchPeople(PEOPLE, 'x')).toEqual([]);
    expect(matchPeople(PEOPLE, ' ')).toEqual([]);
  });

  it('suggests a few at most', () => {
    expect(matchPeople(PEOPLE, 'a', 2)).toEqual([ADA, ADAM]);
  });
});

describe('insertMention', () => {
  it('replaces the query with @Full Name and a space, caret after it', () => {
    const text = 'hi @Ad';
    expect(insertMention(text, 6, { start: 3, query: 'Ad' }, ADA)).toEqual({ text: 'hi @Ada Demo ', caret: 13 });
  });

  it('keeps what follows the caret, without doubling a space', () => {
    const text = '@gr thanks';
    expect(insertMention(text, 3, { start: 0, query: 'gr' }, GRACE)).toEqual({
      text: '@Grace Demo thanks',
      caret: 12,
    });
  });
});
