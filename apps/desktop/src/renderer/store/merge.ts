import type { ChatMessageView, DecisionView } from '@tandem/shared';

/**
 * Merges an update into a conversation's messages. A message is one `clientId` from first write
 * to sync, so a pending message and its acknowledged copy never both show. Sent messages are in
 * server order (seq); pending ones follow in the order they were written.
 */
export function mergeMessages(
  current: readonly ChatMessageView[],
  update: readonly ChatMessageView[],
): readonly ChatMessageView[] {
  const byId = new Map(current.map((m) => [m.clientId, m]));
  for (const m of update) {
    const held = byId.get(m.clientId);
    if (held !== undefined && isOlder(m, held)) continue;
    byId.set(m.clientId, m);
  }
  return [...byId.values()].sort(compareMessages);
}

/**
 * A copy read before `held` may arrive after it (an IPC answer overtaken by a push). What only
 * moves forward decides: acknowledged after pending, a later edit after an earlier one, deleted
 * after anything (the server takes no edit of a deleted message).
 */
function isOlder(m: ChatMessageView, held: ChatMessageView): boolean {
  if (held.status === 'sent' && m.status === 'pending') return true;
  // Reactions and reply counts go up and down: the version (seq of the last event folded in) orders them.
  if (m.version < held.version) return true;
  if (held.deleted && !m.deleted) return true;
  return held.editedAt !== null && (m.editedAt === null || m.editedAt < held.editedAt);
}

function compareMessages(a: ChatMessageView, b: ChatMessageView): number {
  if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
  if (a.seq !== null) return -1;
  if (b.seq !== null) return 1;
  return a.sentAt.localeCompare(b.sentAt);
}

/**
 * Merges decisions, newest first. One decision is one `clientId`, or one server `id` once it has
 * one: a live server event can reach main before the acknowledgement of our own creation and be
 * shown under the server id first; the acknowledged copy (same id, our clientId) replaces it.
 */
export function mergeDecisions(
  current: readonly DecisionView[],
  update: readonly DecisionView[],
): readonly DecisionView[] {
  let merged = [...current];
  for (const d of update) {
    merged = merged.filter((held) => held.clientId !== d.clientId && (d.id === null || held.id !== d.id));
    merged.push(d);
  }
  return merged.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
