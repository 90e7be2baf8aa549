import type { MessageSearchHit } from '../api/chat.ts';
import { SNIPPET_MARK, type SearchHit } from './records.ts';

/** The words of what a person typed into a search, as the cache's full-text index and snippets read them. */
export const searchWords = (query: string): string[] => query.match(/[\p{L}\p{N}_]+/gu) ?? [];

/** Characters of context kept on each side of the first match. */
const CONTEXT = 48;

/**
 * An excerpt of `body` around the first of the query's words it contains, each word wrapped in
 * SNIPPET_MARK where it begins a word of the body (the cache's full-text search matches word
 * prefixes too): for hits the server found that the cache does not hold. Without case; the
 * body's own text is kept as it is.
 */
export function markedSnippet(body: string, query: string): string {
  const words = searchWords(query);
  const flat = body.replace(/\s+/g, ' ').trim();
  const pattern =
    words.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words.map(escapeRegExp).join('|')})`, 'giu');
  const first = pattern === null ? -1 : flat.search(pattern);
  const start = Math.max(0, first - CONTEXT);
  const end = Math.min(flat.length, Math.max(first, 0) + CONTEXT * 2);
  const excerpt = flat.slice(start, end);
  const marked =
    pattern === null ? excerpt : excerpt.replace(pattern, (m) => `${SNIPPET_MARK.start}${m}${SNIPPET_MARK.end}`);
  return `${start > 0 ? '…' : ''}${marked}${end < flat.length ? '…' : ''}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A message the server found (and a cache does not hold) as a search result shows it: sent, as
 * its hit says it is now, with its snippet for the query.
 */
export function serverSearchHit(hit: MessageSearchHit, authorName: string, query: string): SearchHit {
  return {
    message: {
      conversationId: hit.conversationId,
      clientId: hit.messageId,
      seq: hit.seq,
      authorId: hit.authorId,
      authorName,
      body: hit.body,
      sentAt: hit.createdAt,
      editedAt: null,
      deleted: false,
      status: 'sent',
      failure: null,
      version: hit.seq,
      threadOf: hit.threadOf ?? null,
      replyCount: 0,
      lastReplyAt: null,
      reactions: [],
      files: hit.files ?? [],
      urgent: false,
    },
    snippet: markedSnippet(hit.body, query),
  };
}
