import { CreateChannelRequestSchema, type ChatMessageView, type ConversationSummary } from '@tandem/shared';
import { translateNow } from '../i18n/current.ts';
import type { Translate } from '../i18n/useT.ts';

/** Summaries by id: an update replaces the conversation it names and adds one not held yet. */
export function mergeConversations(
  held: readonly ConversationSummary[],
  update: readonly ConversationSummary[],
): readonly ConversationSummary[] {
  if (update.length === 0) return held;
  const byId = new Map(update.map((c) => [c.id, c]));
  const merged = held.map((c) => byId.get(c.id) ?? c);
  const known = new Set(held.map((c) => c.id));
  return [...merged, ...update.filter((c) => !known.has(c.id))];
}

/** When a conversation last saw something happen: its newest message, or its creation. */
const activityOf = (c: ConversationSummary): number => Date.parse(c.lastMessage?.sentAt ?? c.createdAt ?? '') || 0;

/** The organisation's channels the user follows (not archived, not left), newest activity first; equally quiet ones by name. */
export function channelsByActivity(all: readonly ConversationSummary[]): ConversationSummary[] {
  return all
    .filter((c) => c.kind === 'channel' && c.archivedAt === null && !c.left)
    .sort((a, b) => activityOf(b) - activityOf(a) || a.name.localeCompare(b.name));
}

/** Conversations opened on this machine, the last opened first. */
export function lastOpenedFirst(all: readonly ConversationSummary[]): ConversationSummary[] {
  return all
    .filter((c) => c.lastOpenedAt !== null)
    .sort((a, b) => Date.parse(b.lastOpenedAt ?? '') - Date.parse(a.lastOpenedAt ?? ''));
}

/** Meeting chats opened on this machine, the last opened first. */
export function recentMeetingChats(all: readonly ConversationSummary[], limit: number): ConversationSummary[] {
  return lastOpenedFirst(all)
    .filter((c) => c.kind === 'meeting')
    .slice(0, limit);
}

/** What a list shows of a conversation's newest message. */
export function previewOf(last: ChatMessageView | null): string {
  if (last === null) return 'No messages';
  if (last.deleted) return 'Message deleted';
  return `${last.authorName}: ${last.body}`;
}

const NAME = CreateChannelRequestSchema.shape.name;
export const CHANNEL_NAME_MAX = NAME.maxLength ?? 100;

/** Why a new channel cannot have this name, in a sentence, or null when it can. */
export function channelNameProblem(
  name: string,
  channels: readonly ConversationSummary[],
  t: Translate = translateNow,
): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return t('chat.rename.empty');
  if (!NAME.safeParse(trimmed).success) return t('chat.channel.tooLong', { max: CHANNEL_NAME_MAX });
  const taken = channels.find((c) => c.kind === 'channel' && c.name.toLowerCase() === trimmed.toLowerCase());
  return taken === undefined ? null : t('chat.channel.taken', { name: taken.name });
}
