import type { DecisionView } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { ALL_DECISIONS, filterDecisions, isOverdue } from './decisionFilters.ts';

const decision = (title: string, over: Partial<DecisionView> = {}): DecisionView => ({
  clientId: title,
  id: title,
  meetingId: 'm1',
  message: null,
  moment: null,
  title,
  detail: '',
  outcome: '',
  ownerId: null,
  dueDate: null,
  status: 'agreed',
  version: 1,
  updatedAt: '2026-12-01T10:00:00.000Z',
  deliveryStatus: 'sent',
  ...over,
});

const TODAY = '2026-12-03';
const all = [
  decision('mine, late', { ownerId: 'me', dueDate: '2026-12-01' }),
  decision('mine, done late', { ownerId: 'me', dueDate: '2026-11-20', status: 'done' }),
  decision('theirs, due today', { ownerId: 'them', dueDate: '2026-12-03' }),
  decision('other meeting', { meetingId: 'm2', updatedAt: '2026-12-02T10:00:00.000Z' }),
  decision('no meeting', { meetingId: null }),
];
const titles = (ds: readonly DecisionView[]) => ds.map((d) => d.title);

describe('the Decisions view filters', () => {
  it('show everything, soonest due first, undated last and newest first', () => {
    expect(titles(filterDecisions(all, ALL_DECISIONS, 'me', TODAY))).toEqual([
      'mine, done late',
      'mine, late',
      'theirs, due today',
      'other meeting',
      'no meeting',
    ]);
  });

  it("keep the person's own", () => {
    expect(titles(filterDecisions(all, { ...ALL_DECISIONS, mine: true }, 'me', TODAY))).toEqual([
      'mine, done late',
      'mine, late',
    ]);
    expect(filterDecisions(all, { ...ALL_DECISIONS, mine: true }, undefined, TODAY)).toEqual([]);
  });

  it('keep the overdue: due before today and still open', () => {
    expect(titles(filterDecisions(all, { ...ALL_DECISIONS, overdue: true }, 'me', TODAY))).toEqual(['mine, late']);
    expect(isOverdue(decision('due today', { dueDate: TODAY }), TODAY)).toBe(false);
    expect(isOverdue(decision('dropped', { dueDate: '2026-01-01', status: 'dropped' }), TODAY)).toBe(false);
  });

  it("keep one meeting's, and combine", () => {
    expect(titles(filterDecisions(all, { ...ALL_DECISIONS, meetingId: 'm2' }, 'me', TODAY))).toEqual(['other meeting']);
    expect(filterDecisions(all, { mine: true, overdue: true, meetingId: 'm2' }, 'me', TODAY)).toEqual([]);
  });
});
