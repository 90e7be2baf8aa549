import { SNIPPET_MARK } from '@tandem/shared';

/** Splits a snippet on main's match marks into text and <mark> parts (no HTML is parsed). */
export function snippetParts(snippet: string): readonly { readonly text: string; readonly match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  let rest = snippet;
  while (rest !== '') {
    const start = rest.indexOf(SNIPPET_MARK.start);
    if (start === -1) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (start > 0) parts.push({ text: rest.slice(0, start), match: false });
    const end = rest.indexOf(SNIPPET_MARK.end, start + 1);
    const stop = end === -1 ? rest.length : end;
    parts.push({ text: rest.slice(start + 1, stop), match: true });
    rest = rest.slice(stop + 1);
  }
  return parts.filter((p) => p.text !== '');
}
