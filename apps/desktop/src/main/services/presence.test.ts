import type { Presence, SessionInfo } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { createPresence } from './presence.ts';

const SELF = '018f0000-0000-7000-8000-000000000001';
const ADA = '018f0000-0000-7000-8000-000000000002';
const GRACE = '018f0000-0000-7000-8000-000000000003';

const presence = (userId: string, status: Presence['status'], updatedAt: string): Presence => ({
  userId,
  status,
  meetingId: null,
  chosen: 'available',
  chosenUntil: null,
  statusText: null,
  updatedAt,
});

/** Main's presence with a signed-in session: what it asked the socket to watch, and what it told the renderer. */
function world() {
  const watched: (readonly string[])[] = [];
  const told: Presence[][] = [];
  const tracker = createPresence({
    session: {
      current: () => ({ user: { id: SELF } }) as SessionInfo,
      call: () => Promise.reject(new Error('no server here')),
    },
    emit: (event, payload) => {
      if (event === 'presence:changed') told.push((payload as { presence: Presence[] }).presence);
    },
    watch: (userIds) => watched.push(userIds),
  });
  return { tracker, watched, told };
}

describe("main's presence: watched by interest", () => {
  it('sends the renderer’s set with one’s own person, and the same set again at every connect', () => {
    const { tracker, watched } = world();
    tracker.connected();
    tracker.watch([ADA, SELF, GRACE]);
    tracker.connected();
    expect(watched).toEqual([[SELF], [SELF, ADA, GRACE], [SELF, ADA, GRACE]]);
  });

  it('takes the answer and live changes, keeping the newer of the two, and knows its own presence', () => {
    const { tracker, told } = world();
    tracker.onServerMessage({ type: 'presence', presence: presence(ADA, 'away', '2026-12-05T09:00:02.000Z') });
    // The answer was read before that change: Ada's stays away, Grace and oneself are new.
    tracker.onServerMessage({
      type: 'presence.watched',
      presence: [
        presence(ADA, 'online', '2026-12-05T09:00:01.000Z'),
        presence(GRACE, 'online', '2026-12-05T09:00:01.000Z'),
        presence(SELF, 'online', '2026-12-05T09:00:00.000Z'),
      ],
    });
    expect(told.map((list) => list.map((p) => `${p.userId.slice(-1)} ${p.status}`))).toEqual([
      ['2 away'],
      ['3 online', '1 online'],
    ]);
    expect(tracker.mine()?.status).toBe('online');
    expect(tracker.list().find((p) => p.userId === ADA)?.status).toBe('away');
  });
});
