import type { MeetingPerson } from './provider.ts';

/** Lower case without accents, so "Zoë" and "zoe" are one name. */
const fold = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'-]/gu, '')
    .replace(/\s+/gu, ' ')
    .trim();

/**
 * The person of the meeting a heard name means: the whole name, else a first or last name that
 * only one of them has. An ambiguous or unknown name is nobody (null): an owner is never guessed.
 */
export function resolvePerson(heard: string, people: readonly MeetingPerson[]): MeetingPerson | null {
  const name = fold(heard);
  if (name === '') return null;
  const whole = people.filter((p) => fold(p.name) === name);
  if (whole.length === 1) return whole[0] ?? null;
  if (whole.length > 1) return null;
  const parts = (p: MeetingPerson) => fold(p.name).split(' ');
  const byFirst = people.filter((p) => parts(p)[0] === name);
  if (byFirst.length > 0) return byFirst.length === 1 ? (byFirst[0] ?? null) : null;
  const byLast = people.filter((p) => parts(p).length > 1 && parts(p).at(-1) === name);
  return byLast.length === 1 ? (byLast[0] ?? null) : null;
}
