import type { MentionPerson } from '@tandem/shared';

/** A mention being written: `@` at `start` and what follows it up to the caret. */
export type MentionQuery = { readonly start: number; readonly query: string };

/** The most people the composer suggests at once. */
export const MAX_SUGGESTIONS = 8;

/**
 * The mention the caret is in, if any: an `@` at the start of the text or after a non-word
 * character (so not an e-mail address), followed by at least one letter and at most a few words.
 * A space at the caret ends it (until a letter follows), so a mention just inserted stays closed.
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const match = /(?<![\p{L}\p{N}_])@(\p{L}[\p{L}\p{N}_'’.-]*(?: [\p{L}\p{N}_'’.-]+){0,3})$/u.exec(before);
  if (match?.[1] === undefined) return null;
  return { start: match.index, query: match[1] };
}

const fold = (s: string): string => s.toLowerCase();

/**
 * People whose name starts with the query, then those with a later word that does, each group by
 * name; in any case. `Ad` finds Ada Demo, `dem` Ada Demo and Grace Demo, `ada d` Ada Demo.
 */
export function matchPeople(people: readonly MentionPerson[], query: string, limit = MAX_SUGGESTIONS): MentionPerson[] {
  const q = fold(query.trim());
  if (q === '') return [];
  const byName = (a: MentionPerson, b: MentionPerson) => a.name.localeCompare(b.name);
  const starts = people.filter((p) => fold(p.name).startsWith(q)).sort(byName);
  const words = people
    .filter(
      (p) =>
        !starts.includes(p) &&
        fold(p.name)
          .split(/\s+/)
          .slice(1)
          .some((word) => word.startsWith(q)),
    )
    .sort(byName);
  return [...starts, ...words].slice(0, limit);
}

/** The text with the query replaced by `@Full Name ` and where the caret goes: after that space. */
export function insertMention(
  text: string,
  caret: number,
  mention: MentionQuery,
  person: MentionPerson,
): { readonly text: string; readonly caret: number } {
  const inserted = `@${person.name} `;
  const after = text.slice(caret).replace(/^ /, '');
  return { text: `${text.slice(0, mention.start)}${inserted}${after}`, caret: mention.start + inserted.length };
}
