import type { ReactNode } from 'react';
import { snippetParts } from './snippet.ts';

/** Text with main's match marks shown as <mark> (search results, a transcript searched within). */
export function Snippet({ snippet }: { readonly snippet: string }): ReactNode {
  return snippetParts(snippet).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>));
}
