import type { PowerEvents } from '../platform/types.ts';
import type { PresenceTracker } from './presence.ts';

/** Teams and Slack show someone away after five minutes without input. */
export const AWAY_AFTER_MS = 5 * 60_000;
/** How often the OS's idle time is read. */
const CHECK_EVERY_MS = 15_000;

export type IdleWatch = {
  /** Reads the idle time now and says what changed. */
  check(): Promise<void>;
  /** A new connection: the server counts the person online again, so an away is said again. */
  connected(): void;
  stop(): void;
};

/**
 * Away while the computer is: the OS's idle time past `awayAfterMs`, the screen locked, or asleep; online
 * again at the next input or unlock. Only online and away are the app's to say: a call and a
 * status chosen by hand (busy, do not disturb, away: the tray's) show over them (the server
 * decides), so input never undoes a chosen away; nothing is said while signed out.
 */
export function watchIdle(deps: {
  readonly power: PowerEvents;
  readonly presence: Pick<PresenceTracker, 'set'>;
  /** Someone is signed in (with tokens): only they have a presence to say. */
  readonly signedIn: () => boolean;
  readonly onError: (error: unknown) => void;
  readonly awayAfterMs?: number;
  readonly checkEveryMs?: number;
}): IdleWatch {
  const awayAfterMs = deps.awayAfterMs ?? AWAY_AFTER_MS;
  let locked = false;
  /** Between the OS's suspend and resume: away, whatever the idle time said last. */
  let asleep = false;
  /** What the server last heard from this app: a connection starts online. */
  let saidAway = false;
  let checking: Promise<void> = Promise.resolve();
  let stopped = false;

  async function say(): Promise<void> {
    if (stopped || !deps.signedIn()) return;
    const away = locked || asleep || deps.power.idleSeconds() * 1000 >= awayAfterMs;
    if (away === saidAway) return;
    await deps.presence.set({ status: away ? 'away' : 'online' });
    saidAway = away;
  }

  /** One at a time, so a lock and a timer tick never say the same thing twice. */
  const check = (): Promise<void> => (checking = checking.then(say).catch(deps.onError));

  deps.power.onLock((now) => {
    locked = now;
    void check();
  });
  // Going to sleep says away while the network is still there; waking checks the input again.
  deps.power.onSuspend(() => {
    asleep = true;
    void check();
  });
  deps.power.onResume(() => {
    asleep = false;
    void check();
  });
  const timer = setInterval(() => void check(), deps.checkEveryMs ?? CHECK_EVERY_MS);
  timer.unref();

  return {
    check,
    connected() {
      saidAway = false;
      void check();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
