import { describe, expect, it } from 'vitest';
import { matchPeople, SHOWN_MATCHES, stepActive, type PickablePerson } from './peoplePicker.ts';

const person = (id: string, name: string, email = `${id}@tandem.example`): PickablePerson => ({ id, name, email });
const PEOPLE = [
  person('ada', 'Ada Demo'),
  person('grace', 'Grace Demo'),
  person('zoe', 'Zoë Ünal', 'z.unal@tandem.example'),
  person('grace2', 'Grace Hopper', 'hopper@navy.example'),
];
const NONE = new Set<string>();

describe('matchPeople', () => {
  it('finds by any part of the name or email, every word typed, case and accents aside', () => {
    expect(matchPeople(PEOPLE, 'grace', NONE).map((p) => p.id)).toEqual(['grace', 'grace2']);
    expect(matchPeople(PEOPLE, 'GRACE  demo', NONE).map((p) => p.id)).toEqual(['grace']);
    expect(matchPeople(PEOPLE, 'zoe un', NONE).map((p) => p.id)).toEqual(['zoe']);
    expect(matchPeople(PEOPLE, 'navy', NONE).map((p) => p.id)).toEqual(['grace2']);
    expect(matchPeople(PEOPLE, 'nobody', NONE)).toEqual([]);
  });

  it('leaves out who is chosen already, and shows a few at a time', () => {
    expect(matchPeople(PEOPLE, 'demo', new Set(['ada'])).map((p) => p.id)).toEqual(['grace']);
    const many = Array.from({ length: 30 }, (_, i) => person(`p${i}`, `Person ${i}`));
    expect(matchPeople(many, '', NONE)).toHaveLength(SHOWN_MATCHES);
    // Every word anywhere: "1" also finds "Person 10" and on, in the given order.
    expect(matchPeople(many, 'person 1', NONE).map((p) => p.id)).toEqual([
      'p1',
      'p10',
      'p11',
      'p12',
      'p13',
      'p14',
      'p15',
      'p16',
    ]);
  });
});

describe('stepActive', () => {
  it('moves through the options and wraps at both ends', () => {
    expect(stepActive(0, 1, 3)).toBe(1);
    expect(stepActive(2, 1, 3)).toBe(0);
    expect(stepActive(0, -1, 3)).toBe(2);
    expect(stepActive(0, 1, 0)).toBe(0);
  });
});
