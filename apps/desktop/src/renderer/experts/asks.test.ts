import type { ExpertAsk } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { whatToShow } from './asks.ts';

const SELF = 'u-grace';
const ask = (over: Partial<ExpertAsk>): ExpertAsk => ({
  id: 'a1',
  skill: 'Customs',
  note: '',
  page: { app: 'procurement', view: 'PurchaseOrderView', recordId: '7' },
  url: 'http://127.0.0.1:5000/po/7',
  title: 'PO-1007',
  askedBy: { id: 'u-ada', name: 'Ada' },
  rung: [{ id: SELF, name: 'Grace' }],
  declined: [],
  answeredBy: null,
  status: 'ringing',
  meeting: { id: 'm1', joinCode: 'abc-defg-hij', joinUrl: 'tandem://join/abc-defg-hij', webJoinUrl: '' },
  createdAt: '2026-12-03T10:00:00.000Z',
  ringUntil: '2026-12-03T10:00:30.000Z',
  finishedAt: null,
  ...over,
});
const always = () => true;

describe('which asks for an expert show', () => {
  it('shows an ask ringing the user until they decline it, it stops ringing or its time is up', () => {
    expect(whatToShow([ask({})], SELF, new Set(), always)).toEqual([{ ask: ask({}), as: 'ringing' }]);
    expect(whatToShow([ask({ declined: [SELF] })], SELF, new Set(), always)).toEqual([]);
    for (const status of ['answered', 'missed', 'declined', 'cancelled'] as const)
      expect(whatToShow([ask({ status })], SELF, new Set(), always)).toEqual([]);
    expect(whatToShow([ask({})], SELF, new Set(), () => false)).toEqual([]);
    expect(whatToShow([ask({ rung: [{ id: 'u-linus', name: 'Linus' }] })], SELF, new Set(), always)).toEqual([]);
    expect(whatToShow([ask({})], SELF, new Set(['a1']), always)).toEqual([]);
  });

  it('shows the user’s own ask once someone answered it, and nothing of it while it rings', () => {
    const mine = { askedBy: { id: SELF, name: 'Grace' }, rung: [{ id: 'u-linus', name: 'Linus' }] };
    expect(whatToShow([ask(mine)], SELF, new Set(), always)).toEqual([]);
    const answered = ask({ ...mine, status: 'answered', answeredBy: { id: 'u-linus', name: 'Linus' } });
    expect(whatToShow([answered], SELF, new Set(), always)).toEqual([{ ask: answered, as: 'answered' }]);
  });

  it('lists the oldest first', () => {
    const later = ask({ id: 'a2', createdAt: '2026-12-03T10:00:05.000Z' });
    expect(whatToShow([later, ask({})], SELF, new Set(), always).map((s) => s.ask.id)).toEqual(['a1', 'a2']);
  });
});
