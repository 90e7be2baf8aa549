/**
 * Mentions in chat text: `@Full Name` or `@First`, in any case, not inside a word or an e-mail
 * address. One rule for everyone: main's notifications decide "mentioned you" with it, the
 * renderer highlights with it, and the composer inserts what it recognises.
 */

/** Someone who can be mentioned. */
export type MentionPerson = { readonly id: string; readonly name: string };

/** A piece of a message's text: plain, or a mention of the people whose name it spells. */
export type MentionSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'mention'; readonly text: string; readonly userIds: readonly string[] };

/** Letters, digits and `_` continue a word: `grace@tandem.example` and `@Graceful` mention nobody. */
const WORD = '[\\p{L}\\p{N}_]';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fold = (s: string): string => s.toLowerCase();

/** The ways to mention a person: the full name and the first name. */
function handlesOf(name: string): string[] {
  const full = name.trim();
  if (full === '') return [];
  return [...new Set([full, full.split(/\s+/)[0] ?? full])];
}

/** Matches any of `handles` after `@`; longest first, so `@Ada Demo` wins over `@Ada`. */
function pattern(handles: readonly string[], flags: string): RegExp | null {
  if (handles.length === 0) return null;
  const alternatives = [...handles].sort((a, b) => b.length - a.length).map(escape);
  return new RegExp(`(?<!${WORD})@(${alternatives.join('|')})(?!${WORD})`, `iu${flags}`);
}

/** Whether `body` mentions `name` as `@Full Name` or `@First`, in any case. */
export function mentions(body: string, name: string): boolean {
  return pattern(handlesOf(name), '')?.test(body) ?? false;
}

/**
 * `body` cut into plain text and mentions of `people`, in order; joined, the pieces give `body`
 * back. A first name two people share mentions both.
 */
export function mentionSegments(body: string, people: readonly MentionPerson[]): MentionSegment[] {
  const owners = new Map<string, string[]>();
  for (const person of people) {
    for (const handle of handlesOf(person.name)) {
      const key = fold(handle);
      const ids = owners.get(key) ?? [];
      if (!ids.includes(person.id)) ids.push(person.id);
      owners.set(key, ids);
    }
  }
  const regex = pattern(
    people.flatMap((p) => handlesOf(p.name)),
    'g',
  );
  if (regex === null) return body === '' ? [] : [{ kind: 'text', text: body }];
  const segments: MentionSegment[] = [];
  let from = 0;
  for (const match of body.matchAll(regex)) {
    const [text, handle = ''] = match;
    if (match.index > from) segments.push({ kind: 'text', text: body.slice(from, match.index) });
    segments.push({ kind: 'mention', text, userIds: owners.get(fold(handle)) ?? [] });
    from = match.index + text.length;
  }
  if (from < body.length) segments.push({ kind: 'text', text: body.slice(from) });
  return segments;
}
