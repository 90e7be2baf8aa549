import { describe, expect, it } from 'vitest';
import { attendanceOf, talkTimeOf, weekStartOf, weeksOf } from './insights.ts';

const names: Record<string, string> = { a: 'Ada', g: 'Grace' };
const nameOf = (id: string) => names[id] ?? 'Someone';
const at = (hhmm: string, day = '2026-12-03') => `${day}T${hhmm}:00.000Z`;

describe('meeting insights', () => {
  it("make one line of each person's visits: first arrival, last departure, total time", () => {
    const visits = [
      { meetingId: 'm', userId: 'a', joinedAt: at('10:00'), leftAt: at('10:30') },
      { meetingId: 'm', userId: 'g', joinedAt: at('10:05'), leftAt: at('10:10') },
      { meetingId: 'm', userId: 'g', joinedAt: at('10:20'), leftAt: at('10:40') },
    ];
    expect(attendanceOf(visits, nameOf, Date.parse(at('11:00')))).toEqual([
      { userId: 'a', name: 'Ada', firstJoinedAt: at('10:00'), lastLeftAt: at('10:30'), totalMs: 1_800_000, visits: 1 },
      {
        userId: 'g',
        name: 'Grace',
        firstJoinedAt: at('10:05'),
        lastLeftAt: at('10:40'),
        totalMs: 1_500_000,
        visits: 2,
      },
    ]);
  });

  it('count someone still in the call up to now, with no departure', () => {
    const [ada] = attendanceOf(
      [
        { meetingId: 'm', userId: 'a', joinedAt: at('10:00'), leftAt: at('10:10') },
        { meetingId: 'm', userId: 'a', joinedAt: at('10:20'), leftAt: null },
      ],
      nameOf,
      Date.parse(at('10:30')),
    );
    expect(ada).toMatchObject({ lastLeftAt: null, totalMs: 1_200_000, visits: 2 });
  });

  it('give talk time per speaker, most first, with shares; a speaker unknown to the organisation keeps the heard name', () => {
    const said = (userId: string | null, name: string, from: string, to: string) => ({
      userId,
      name,
      startedAt: at(from),
      endedAt: at(to),
    });
    expect(
      talkTimeOf(
        [
          said('a', 'Ada L', '10:00', '10:03'),
          said('g', 'Grace', '10:03', '10:04'),
          said(null, 'Visitor', '10:04', '10:05'),
          said('a', 'Ada', '10:05', '10:06'),
        ],
        nameOf,
      ),
    ).toEqual([
      { userId: 'a', name: 'Ada', ms: 240_000, share: 0.667 },
      { userId: 'g', name: 'Grace', ms: 60_000, share: 0.167 },
      { userId: null, name: 'Visitor', ms: 60_000, share: 0.167 },
    ]);
    expect(talkTimeOf([], nameOf)).toEqual([]);
  });
});

describe('organisation insights', () => {
  it('start weeks on Monday (UTC)', () => {
    expect(weekStartOf(Date.parse('2026-12-03T10:00:00Z'))).toBe('2026-11-30');
    expect(weekStartOf(Date.parse('2026-11-30T00:00:00Z'))).toBe('2026-11-30');
    expect(weekStartOf(Date.parse('2026-12-06T23:59:00Z'))).toBe('2026-11-30');
  });

  it('count meetings attended and people-hours per week, oldest first, empty weeks included', () => {
    const visits = [
      { meetingId: 'm1', userId: 'a', joinedAt: at('10:00'), leftAt: at('11:00') },
      { meetingId: 'm1', userId: 'g', joinedAt: at('10:00'), leftAt: at('10:30') },
      { meetingId: 'm2', userId: 'a', joinedAt: at('09:00', '2026-11-17'), leftAt: at('09:45', '2026-11-17') },
      { meetingId: 'old', userId: 'a', joinedAt: at('09:00', '2026-01-05'), leftAt: at('10:00', '2026-01-05') },
    ];
    expect(weeksOf(visits, 3, Date.parse(at('12:00')))).toEqual([
      { weekStart: '2026-11-16', meetings: 1, hours: 0.75 },
      { weekStart: '2026-11-23', meetings: 0, hours: 0 },
      { weekStart: '2026-11-30', meetings: 1, hours: 1.5 },
    ]);
  });
});
