import type { DecisionView } from '@tandem/shared';

/** What the Decisions view shows: everyone's or the person's own, only overdue ones, one meeting's. */
export type DecisionFilter = {
  readonly mine: boolean;
  readonly overdue: boolean;
  /** null: every meeting (and decisions taken outside meetings). */
  readonly meetingId: string | null;
};

export const ALL_DECISIONS: DecisionFilter = { mine: false, overdue: false, meetingId: null };

/** Due before today and still open (neither done nor dropped). Dates are calendar days, compared as text. */
export const isOverdue = (d: DecisionView, today: string): boolean =>
  d.dueDate !== null && d.dueDate < today && d.status !== 'done' && d.status !== 'dropped';

/**
 * The decisions the filter keeps, soonest due first (those without a due date after, newest
 * change first among them), so what needs doing comes first.
 */
export function filterDecisions(
  decisions: readonly DecisionView[],
  filter: DecisionFilter,
  me: string | undefined,
  today: string,
): DecisionView[] {
  return decisions
    .filter(
      (d) =>
        (!filter.mine || (me !== undefined && d.ownerId === me)) &&
        (!filter.overdue || isOverdue(d, today)) &&
        (filter.meetingId === null || d.meetingId === filter.meetingId),
    )
    .sort((a, b) => {
      if (a.dueDate !== b.dueDate) {
        if (a.dueDate === null) return 1;
        if (b.dueDate === null) return -1;
        return a.dueDate < b.dueDate ? -1 : 1;
      }
      return a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0;
    });
}
