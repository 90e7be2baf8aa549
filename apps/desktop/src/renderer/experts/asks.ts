import type { ExpertAsk } from '@tandem/shared';

/** How an ask shows to the user: ringing them, or their own ask that someone answered. */
export type ShownAsk = { readonly ask: ExpertAsk; readonly as: 'ringing' | 'answered' };

/**
 * Which asks to show, oldest first: those ringing the user that they have not declined and whose
 * time is not up (`ringsOn`), and the user's own asks that someone answered; never one dismissed.
 */
export function whatToShow(
  asks: readonly ExpertAsk[],
  selfId: string,
  dismissed: ReadonlySet<string>,
  ringsOn: (ask: ExpertAsk) => boolean,
): ShownAsk[] {
  return [...asks]
    .filter((a) => !dismissed.has(a.id))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .flatMap((ask): ShownAsk[] => {
      if (ask.askedBy.id === selfId)
        return ask.status === 'answered' && ask.answeredBy !== null ? [{ ask, as: 'answered' }] : [];
      const rings =
        ask.status === 'ringing' &&
        ask.rung.some((p) => p.id === selfId) &&
        !ask.declined.includes(selfId) &&
        ringsOn(ask);
      return rings ? [{ ask, as: 'ringing' }] : [];
    });
}
