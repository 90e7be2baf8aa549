import { describe, expect, it } from 'vitest';
import { mentionSegments, mentions } from './mentions.ts';

const GRACE = { id: 'u-grace', name: 'Grace Hopper' };
const ADA = { id: 'u-ada', name: 'Ada Lovelace' };
const ADA_DEMO = { id: 'u-ada-demo', name: 'Ada Demo' };

describe('mentions', () => {
  it.each([
    ['@Grace Hopper can you look?', true],
    ['thanks @grace!', true],
    ['@GRACE', true],
    ['(@Grace)', true],
    ['Grace, can you look?', false],
    ['mail grace@tandem.example', false],
    ['@Graceful degradation', false],
    ['@Ada', false],
  ])('%s → %s', (body, expected) => {
    expect(mentions(body, GRACE.name)).toBe(expected);
  });

  it('treats the name literally, not as a pattern', () => {
    expect(mentions('@a.b', 'a+b')).toBe(false);
    expect(mentions('@a+b here', 'a+b')).toBe(true);
  });

  it('mentions nobody without a name', () => {
    expect(mentions('@ hello', '  ')).toBe(false);
  });
});

describe('mentionSegments', () => {
  it('cuts the text around mentions, the full name winning over the first', () => {
    expect(mentionSegments('@Grace Hopper and @ada, see this', [GRACE, ADA])).toEqual([
      { kind: 'mention', text: '@Grace Hopper', userIds: ['u-grace'] },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@ada', userIds: ['u-ada'] },
      { kind: 'text', text: ', see this' },
    ]);
  });

  it('follows the same rule as mentions: no e-mail addresses, no longer words, no strangers', () => {
    const body = 'mail grace@tandem.example or @Graceful @Linus';
    expect(mentionSegments(body, [GRACE])).toEqual([{ kind: 'text', text: body }]);
  });

  it('gives the body back whole when joined, with or without people', () => {
    const body = 'Hi @Grace, (@Ada Demo) and @Ada Lovelace!';
    expect(
      mentionSegments(body, [GRACE, ADA, ADA_DEMO])
        .map((s) => s.text)
        .join(''),
    ).toBe(body);
    expect(mentionSegments(body, [])).toEqual([{ kind: 'text', text: body }]);
    expect(mentionSegments('', [GRACE])).toEqual([]);
  });

  it('a first name two people share mentions both; a full name one', () => {
    expect(mentionSegments('@Ada', [ADA, ADA_DEMO])).toEqual([
      { kind: 'mention', text: '@Ada', userIds: ['u-ada', 'u-ada-demo'] },
    ]);
    expect(mentionSegments('@ada demo', [ADA, ADA_DEMO])).toEqual([
      { kind: 'mention', text: '@ada demo', userIds: ['u-ada-demo'] },
    ]);
  });

  it('agrees with mentions on who is mentioned', () => {
    for (const body of ['@Grace Hopper can you look?', 'thanks @grace!', 'grace@tandem.example', '@Graceful']) {
      const mentioned = mentionSegments(body, [GRACE]).some((s) => s.kind === 'mention');
      expect(mentioned).toBe(mentions(body, GRACE.name));
    }
  });
});
