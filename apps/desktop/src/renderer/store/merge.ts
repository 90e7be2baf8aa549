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
    // A late pending echo must not undo an acknowledgement that already arrived.
    if (held !== undefined && held.status === 'sent' && m.status === 'pending') continue;
    byId.set(m.clientId, m);
  }
  return [...byId.values()].sort(compareMessages);
}

function compareMessages(a: ChatMessageView, b: ChatMessageView): number {
  if (a.seq !== null && b.seq !== null) return a.seq - b.seq;
  if (a.seq !== null) return -1;
  if (b.seq !== null) return 1;
  return a.sentAt.localeCompare(b.sentAt);
}

/** Merges decisions by `clientId`, newest first. */
export function mergeDecisions(
  current: readonly DecisionView[],
  update: readonly DecisionView[],
): readonly DecisionView[] {
  const byId = new Map(current.map((d) => [d.clientId, d]));
  for (const d of update) byId.set(d.clientId, d);
  return [...byId.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
