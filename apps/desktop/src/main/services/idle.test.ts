import type { SetPresenceRequest } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { headlessPlatform } from '../platform/headless.ts';
import { AWAY_AFTER_MS, watchIdle } from './idle.ts';

/** Main's presence and session as the watch sees them: what it said, and whether someone is signed in. */
function world() {
  const platform = headlessPlatform();
  const said: SetPresenceRequest['status'][] = [];
  let signedIn = true;
  const errors: unknown[] = [];
  const watch = watchIdle({
    power: platform.power,
    presence: {
      set: async (request) => {
        said.push(request.status);
        const status = request.status ?? 'online';
        return {
          userId: 'u1',
          status,
          meetingId: null,
          chosen: 'available' as const,
          chosenUntil: null,
          statusText: null,
          updatedAt: '2026-12-03T00:00:00.000Z',
        };
      },
    },
    signedIn: () => signedIn,
    onError: (e) => errors.push(e),
    checkEveryMs: 60_000,
  });
  return { platform, said, watch, errors, signOut: () => void (signedIn = false) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('idle and lock drive presence (headless platform)', () => {
  it('says away once the idle time passes five minutes, and online at the next input', async () => {
    const { platform, said, watch } = world();
    platform.setIdleSeconds(AWAY_AFTER_MS / 1000 - 1);
    await watch.check();
    expect(said).toEqual([]);
    platform.setIdleSeconds(AWAY_AFTER_MS / 1000);
    await watch.check();
    await watch.check();
    expect(said).toEqual(['away']);
    platform.setIdleSeconds(0);
    await watch.check();
    expect(said).toEqual(['away', 'online']);
    watch.stop();
  });

  it('says away as the computer goes to sleep, and online again when it wakes to input', async () => {
    const { platform, said, watch } = world();
    platform.suspend();
    await settle();
    expect(said).toEqual(['away']);
    platform.wake();
    await settle();
    expect(said).toEqual(['away', 'online']);
    watch.stop();
  });

  it('says away at once when the screen locks, and online when it unlocks', async () => {
    const { platform, said, watch } = world();
    platform.lockScreen(true);
    await settle();
    expect(said).toEqual(['away']);
    platform.lockScreen(false);
    await settle();
    expect(said).toEqual(['away', 'online']);
    watch.stop();
  });

  it('says away again on a new connection (the server counts a connection online)', async () => {
    const { platform, said, watch } = world();
    platform.lockScreen(true);
    await settle();
    watch.connected();
    await settle();
    expect(said).toEqual(['away', 'away']);
    watch.stop();
  });

  it('says nothing while signed out, or once stopped', async () => {
    const { platform, said, watch, signOut, errors } = world();
    signOut();
    platform.lockScreen(true);
    await settle();
    expect(said).toEqual([]);
    watch.stop();
    platform.lockScreen(false);
    await settle();
    expect(said).toEqual([]);
    expect(errors).toEqual([]);
  });
});
