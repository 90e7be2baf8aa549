import type { MessageSearchHit } from '../api/chat.ts';
import type { TranscriptSearchResult } from '../api/transcripts.ts';
import { SNIPPET_MARK, type SearchHit, type TranscriptSearchHit } from './records.ts';

/** The words of what a person typed into a search, as the cache's full-text index and snippets read them. */
export const searchWords = (query: string): string[] => query.match(/[\p{L}\p{N}_]+/gu) ?? [];

/** Characters of context kept on each side of the first match. */
const CONTEXT = 48;

/**
 * An excerpt of `body` around the first of the query's words it contains, each word wrapped in
 * SNIPPET_MARK where it begins a word of the body (the cache's full-text search matches word
 * prefixes too): for hits the server found that the cache does not hold. Without case; the
 * body's own text is kept as it is. `context: Infinity` marks the whole text.
 */
export function markedSnippet(body: string, query: string, context: number = CONTEXT): string {
  const words = searchWords(query);
  const flat = body.replace(/\s+/g, ' ').trim();
  const pattern =
    words.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}_])(?:${words.map(escapeRegExp).join('|')})`, 'giu');
  const first = pattern === null ? -1 : flat.search(pattern);
  const start = Math.max(0, first - context);
  const end = Math.min(flat.length, Math.max(first, 0) + context * 2);
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

/** What a search across chats is narrowed to (all optional). */
export type SearchFilter = {
  readonly conversationId?: string | undefined;
  readonly hasFile?: boolean | undefined;
  readonly from?: string | undefined;
  readonly after?: string | undefined;
  readonly before?: string | undefined;
};

/** The filters a transcript segment has: who spoke it, and when it began. */
export type TranscriptSearchFilter = Pick<SearchFilter, 'from' | 'after' | 'before'>;

/**
 * What a search across chats asks of transcripts: its speaker and time filters, which the cache
 * and the server apply before their limit; null when it is narrowed to a conversation or to
 * messages with files, which no segment is in (nothing to ask).
 */
export function transcriptFilter(filter: SearchFilter): TranscriptSearchFilter | null {
  if (filter.conversationId !== undefined || filter.hasFile === true) return null;
  return {
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.after === undefined ? {} : { after: filter.after }),
    ...(filter.before === undefined ? {} : { before: filter.before }),
  };
}

/**
 * Transcript segments for a search, each source already narrowed by `transcriptFilter`: the
 * device's hits (already snipped by its index) and the server's (null offline) that the device
 * does not hold, snipped here, newest first, at most `limit`.
 */
export function mergeTranscriptHits(
  held: readonly TranscriptSearchHit[],
  server: TranscriptSearchResult['hits'] | null,
  query: string,
  limit: number,
): TranscriptSearchHit[] {
  const ids = new Set(held.map((h) => h.segment.id));
  const found = (server ?? [])
    .filter((h) => !ids.has(h.segment.id))
    .map((h) => ({ ...h, snippet: markedSnippet(h.segment.text, query) }));
  return [...held, ...found].sort((a, b) => b.segment.startedAt.localeCompare(a.segment.startedAt)).slice(0, limit);
}

/**
 * Whether the text contains every word of the query as the beginning of one of its words,
 * without case: the rule of the cache's full-text search, for searching within what is shown.
 */
export function containsQuery(text: string, query: string): boolean {
  return searchWords(query).every((word) => new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(word)}`, 'iu').test(text));
}
