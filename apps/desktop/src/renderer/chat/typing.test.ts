import { describe, expect, it } from 'vitest';
import { createTypingSignal, heardTyping, typingAt, typingText, type Typists } from './typing.ts';
import { createTranslator } from '../i18n/translator.ts';

describe('createTypingSignal', () => {
  const setUp = () => {
    const sent: boolean[] = [];
    let clock = 0;
    const signal = createTypingSignal((typing) => sent.push(typing), { repeatMs: 3_000, now: () => clock });
    return { sent, signal, at: (ms: number) => (clock = ms) };
  };

  it('starts on the first keystroke and repeats at most every 3 s while typing goes on', () => {
    const { sent, signal, at } = setUp();
    for (const ms of [0, 500, 1_000, 2_999]) {
      at(ms);
      signal.draftChanged('hello'.slice(0, 1 + (ms % 4)));
    }
    expect(sent).toEqual([true]);
    at(3_000);
    signal.draftChanged('hello there');
    at(4_000);
    signal.draftChanged('hello there!');
    expect(sent).toEqual([true, true]);
  });

  it('stops once when the draft is cleared or sent, and never without a start', () => {
    const { sent, signal, at } = setUp();
    signal.stop();
    signal.draftChanged('   ');
    expect(sent).toEqual([]);
    signal.draftChanged('hi');
    at(100);
    signal.draftChanged('');
    signal.stop();
    expect(sent).toEqual([true, false]);
    // Typing again right after a stop starts again at once.
    at(200);
    signal.draftChanged('again');
    signal.stop();
    expect(sent).toEqual([true, false, true, false]);
  });
});

describe('typists', () => {
  const ada = { userId: 'u-ada', name: 'Ada Demo', typing: true };
  const grace = { userId: 'u-grace', name: 'Grace Demo', typing: true };

  it('remembers a writer for 6 s after their last signal, forgets them on a stop', () => {
    let typists: Typists = heardTyping({}, ada, 1_000);
    expect(typingAt(typists, 1_000)).toEqual({ names: ['Ada Demo'], changesAt: 7_000 });
    typists = heardTyping(typists, ada, 4_000);
    expect(typingAt(typists, 9_999)).toEqual({ names: ['Ada Demo'], changesAt: 10_000 });
    expect(typingAt(typists, 10_000)).toEqual({ names: [], changesAt: null });
    typists = heardTyping(typists, { ...ada, typing: false }, 5_000);
    expect(typingAt(typists, 5_000).names).toEqual([]);
  });

  it('keeps several writers apart and drops lapsed ones as signals come', () => {
    let typists: Typists = heardTyping({}, grace, 0);
    typists = heardTyping(typists, ada, 2_000);
    expect(typingAt(typists, 3_000)).toEqual({ names: ['Ada Demo', 'Grace Demo'], changesAt: 6_000 });
    typists = heardTyping(typists, { userId: 'u-linus', name: 'Linus', typing: false }, 7_000);
    expect(Object.keys(typists)).toEqual(['u-ada']);
  });

  it('says who, two by name, more as several', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['Ada Demo'])).toBe('Ada Demo is typing…');
    expect(typingText(['Ada Demo', 'Grace Demo'])).toBe('Ada Demo and Grace Demo are typing…');
    expect(typingText(['Ada Demo', 'Grace Demo', 'Linus'])).toBe('Several people are typing…');
  });

  it('says it in the language shown', () => {
    expect(typingText(['Ada Demo', 'Grace Demo'], createTranslator('de'))).toBe('Ada Demo und Grace Demo schreiben…');
    expect(typingText(['Ada Demo'], createTranslator('ja'))).toBe('Ada Demo が入力中…');
  });
});
