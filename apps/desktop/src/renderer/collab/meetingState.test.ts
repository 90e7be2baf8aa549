import type { Poll, Question } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { applyLive, initialMeetingState } from './meetingState.ts';

const AT = '2026-11-26T10:00:00.000Z';
const poll = (votes: number): Poll => ({
  id: 'p1',
  meetingId: 'm1',
  question: 'Lunch?',
  options: [
    { text: 'Yes', votes, voterIds: null },
    { text: 'No', votes: 0, voterIds: null },
  ],
  multiple: false,
  anonymous: true,
  status: 'open',
  voterCount: votes,
  createdBy: 'u1',
  createdAt: AT,
  closedAt: null,
});
const question = (id: string, votes: number, createdAt = AT): Question => ({
  id,
  meetingId: 'm1',
  authorId: 'u2',
  authorName: 'Grace',
  text: id,
  votes,
  voterIds: [],
  answered: false,
  answer: null,
  answeredAt: null,
  createdAt,
  moderation: 'published',
  answerPrivate: false,
});

describe('meeting state from live messages', () => {
  it('replaces a poll with its newer results and ignores other meetings', () => {
    let state = applyLive(initialMeetingState('m1'), { type: 'poll.changed', poll: poll(1) }, 'u1');
    state = applyLive(state, { type: 'poll.changed', poll: poll(2) }, 'u1');
    state = applyLive(state, { type: 'poll.changed', poll: { ...poll(9), id: 'x', meetingId: 'm2' } }, 'u1');
    expect(state.polls.map((p) => p.voterCount)).toEqual([2]);
  });

  it('keeps questions most upvoted first, then oldest', () => {
    let state = initialMeetingState('m1');
    for (const q of [question('a', 0), question('b', 2, '2026-11-26T10:05:00.000Z'), question('c', 2)])
      state = applyLive(state, { type: 'question.changed', question: q }, 'u1');
    expect(state.questions.map((q) => q.id)).toEqual(['c', 'b', 'a']);
  });

  it('lists waiting people until they are admitted or denied', () => {
    const entry = {
      id: 'e1',
      meetingId: 'm1',
      userId: 'u3',
      name: 'Linus',
      external: false,
      status: 'waiting',
      createdAt: AT,
      updatedAt: AT,
    } as const;
    let state = applyLive(initialMeetingState('m1'), { type: 'lobby.entry', entry }, 'u1');
    expect(state.waiting).toHaveLength(1);
    state = applyLive(state, { type: 'lobby.entry', entry: { ...entry, status: 'admitted' } }, 'u1');
    expect(state.waiting).toHaveLength(0);
  });

  it('ends the call for the removed person only', () => {
    const removed = { type: 'meeting.left', meetingId: 'm1', userId: 'u2', reason: 'removed' } as const;
    expect(applyLive(initialMeetingState('m1'), removed, 'u1').left).toBeNull();
    expect(applyLive(initialMeetingState('m1'), removed, 'u2').left).toBe('removed');
  });

  it('takes the hand queue in the server’s order', () => {
    const hands = [
      { userId: 'u3', name: 'Linus', raisedAt: AT },
      { userId: 'u2', name: 'Grace', raisedAt: AT },
    ];
    const state = applyLive(initialMeetingState('m1'), { type: 'hands.changed', meetingId: 'm1', hands }, 'u1');
    expect(state.hands.map((h) => h.name)).toEqual(['Linus', 'Grace']);
  });

  it('notes the breakout room a move takes us to, and the way back', () => {
    const room = { id: 'r1', name: 'Room 1', livekitRoom: 'breakout-r1', participantIds: ['u1'] };
    const livekit = {
      url: 'ws://127.0.0.1:7880',
      token: 't',
      room: 'b',
      identity: 'u1',
      role: 'attendee',
      expiresAt: AT,
    } as const;
    let state = applyLive(initialMeetingState('m1'), { type: 'breakout.move', meetingId: 'm1', room, livekit }, 'u1');
    expect(state.inRoom?.name).toBe('Room 1');
    state = applyLive(state, { type: 'breakout.move', meetingId: 'm1', room: null, livekit }, 'u1');
    expect(state.inRoom).toBeNull();
  });
});
