/** Someone who can be picked: enough to tell two people of the same name apart. */
export type PickablePerson = { readonly id: string; readonly name: string; readonly email: string };

/** How many matches the list shows at once: typing more narrows it. */
export const SHOWN_MATCHES = 8;

/** Case and accents do not count: "zoe" finds "Zoë". */
const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * The people not chosen yet whose name or email holds every word typed, in the given order, at
 * most `SHOWN_MATCHES`; nothing typed: the first of them.
 */
export function matchPeople(
  people: readonly PickablePerson[],
  query: string,
  chosen: ReadonlySet<string>,
): PickablePerson[] {
  const words = fold(query)
    .split(/\s+/)
    .filter((w) => w !== '');
  const matches: PickablePerson[] = [];
  for (const person of people) {
    if (matches.length === SHOWN_MATCHES) break;
    if (chosen.has(person.id)) continue;
    const haystack = `${fold(person.name)} ${fold(person.email)}`;
    if (words.every((w) => haystack.includes(w))) matches.push(person);
  }
  return matches;
}

/** The option `delta` steps from `active` among `count`, wrapping around at either end. */
export const stepActive = (active: number, delta: number, count: number): number =>
  count === 0 ? 0 : (((active + delta) % count) + count) % count;
