import { describe, expect, it } from 'vitest';
import { badgeCount } from './appIcon.ts';

const chat = (kind: 'meeting' | 'channel' | 'direct' | 'group', unread: number, mentions = 0) => ({
  kind,
  unread,
  mentions,
  left: false,
  archivedAt: null,
});

describe('badgeCount', () => {
  it('counts every unread direct and group message, and only the mentions elsewhere', () => {
    expect(badgeCount([chat('direct', 2), chat('group', 3, 1), chat('channel', 40, 1), chat('meeting', 5, 2)])).toBe(8);
  });

  it('counts nothing of conversations left or archived, and 0 for none', () => {
    expect(
      badgeCount([
        { ...chat('direct', 2), archivedAt: '2026-12-01T00:00:00.000Z' },
        { ...chat('channel', 9, 9), left: true },
      ]),
    ).toBe(0);
    expect(badgeCount([])).toBe(0);
  });
});
