import { describe, expect, it } from 'vitest';
import { rankParticipants, topicWords } from './participantSuggestions.ts';

const people = new Map([
  ['ada', 'Ada'],
  ['grace', 'Grace'],
  ['alan', 'Alan'],
  ['linus', 'Linus'],
]);
const base = { people, exclude: new Set(['ada']), limit: 8 } as const;

describe('topicWords', () => {
  it("keeps a title's telling words once each, without case, stop words or numbers", () => {
    expect(topicWords('Weekly Budget review 2027 — budget & Hiring')).toEqual(['budget', 'hiring']);
    expect(topicWords('The sync')).toEqual([]);
    expect(topicWords('予算 会議')).toEqual(['予算']);
  });
});

describe('rankParticipants', () => {
  it('ranks who attended meetings on the topic, by how much of the topic they covered, with the words as the reason', () => {
    const ranked = rankParticipants({
      ...base,
      topic: 'Budget planning',
      meetings: [
        { title: 'Budget planning kickoff', attendees: ['ada', 'grace', 'alan'] },
        { title: 'Budgets Q3', attendees: ['grace', 'grace'] },
        { title: 'Hiring', attendees: ['linus'] },
      ],
      decisions: [],
    });
    expect(ranked).toEqual([
      {
        user: { id: 'grace', name: 'Grace' },
        score: 1.5,
        reasons: [{ kind: 'attended', count: 2, topic: ['budget', 'planning'] }],
      },
      {
        user: { id: 'alan', name: 'Alan' },
        score: 1,
        reasons: [{ kind: 'attended', count: 1, topic: ['budget', 'planning'] }],
      },
    ]);
  });

  it('counts owners of open decisions on the topic more than one meeting, and leaves closed and unowned ones out', () => {
    const ranked = rankParticipants({
      ...base,
      topic: 'Budget',
      meetings: [{ title: 'Budget', attendees: ['grace'] }],
      decisions: [
        { title: 'Approve the budget', ownerId: 'linus', status: 'agreed' },
        { title: 'Budget freeze', ownerId: 'alan', status: 'done' },
        { title: 'Budget owner', ownerId: null, status: 'proposed' },
        { title: 'Office move', ownerId: 'alan', status: 'in_progress' },
      ],
    });
    expect(ranked.map((s) => [s.user.id, s.score, s.reasons])).toEqual([
      ['linus', 1.5, [{ kind: 'decisionOwner', count: 1, decisionTitle: 'Approve the budget' }]],
      ['grace', 1, [{ kind: 'attended', count: 1, topic: ['budget'] }]],
    ]);
  });

  it('never suggests the planner or anyone who may not be (guests, deactivated), and keeps to the limit', () => {
    const meetings = [{ title: 'Roadmap', attendees: ['ada', 'grace', 'alan', 'stranger'] }];
    const ranked = rankParticipants({ ...base, topic: 'roadmap', meetings, decisions: [], limit: 1 });
    expect(ranked.map((s) => s.user.id)).toEqual(['alan']);
    expect(rankParticipants({ ...base, topic: 'the weekly sync', meetings, decisions: [] })).toEqual([]);
  });
});
