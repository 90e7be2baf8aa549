import { describe, expect, it } from 'vitest';
import { runUpdates, UPDATE_CHECK_INTERVAL_MS, type Updater, type UpdateScheduler } from './runUpdates.ts';

/** Stands in for electron-updater's AppUpdater, which needs the Electron binary; records each call. */
function recordingUpdater(result: Promise<unknown> = Promise.resolve(null)): Updater & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    channel: null,
    setFeedURL: (options) => calls.push(`feed ${options.provider} ${options.url} ${options.channel}`),
    checkForUpdatesAndNotify: () => {
      calls.push('check');
      return result;
    },
  };
}

function manualScheduler(): UpdateScheduler & { tick: () => void; intervals: number[]; stopped: boolean } {
  const tasks: (() => void)[] = [];
  const scheduler = {
    intervals: [] as number[],
    stopped: false,
    tick: () => tasks.forEach((task) => task()),
    every: (intervalMs: number, task: () => void) => {
      scheduler.intervals.push(intervalMs);
      tasks.push(task);
      return () => {
        scheduler.stopped = true;
      };
    },
  };
  return scheduler;
}

describe('runUpdates', () => {
  it('does not touch the updater when the plan is off', () => {
    const updater = recordingUpdater();
    const scheduler = manualScheduler();
    runUpdates({ kind: 'off', reason: 'managedInstall' }, updater, scheduler, () => undefined);
    expect(updater.calls).toEqual([]);
    expect(updater.channel).toBeNull();
    expect(scheduler.intervals).toEqual([]);
  });

  it('sets the feed and channel, checks now and on every tick until stopped', () => {
    const updater = recordingUpdater();
    const scheduler = manualScheduler();
    const plan = { kind: 'check', channel: 'beta', feedUrl: 'https://mirror.corp.example/tandem' } as const;
    const stop = runUpdates(plan, updater, scheduler, () => undefined);
    scheduler.tick();
    expect(updater.calls).toEqual(['feed generic https://mirror.corp.example/tandem beta', 'check', 'check']);
    expect(updater.channel).toBe('beta');
    expect(scheduler.intervals).toEqual([UPDATE_CHECK_INTERVAL_MS]);
    stop();
    expect(scheduler.stopped).toBe(true);
  });

  it('keeps the built-in feed when the plan names none', () => {
    const updater = recordingUpdater();
    runUpdates({ kind: 'check', channel: 'latest', feedUrl: undefined }, updater, manualScheduler(), () => undefined);
    expect(updater.calls).toEqual(['check']);
    expect(updater.channel).toBe('latest');
  });

  it('hands a failed check to onError instead of rejecting unhandled', async () => {
    const failure = new Error('feed unreachable');
    const errors: unknown[] = [];
    const updater = recordingUpdater(Promise.reject(failure));
    runUpdates({ kind: 'check', channel: 'latest', feedUrl: undefined }, updater, manualScheduler(), (error) =>
      errors.push(error),
    );
    await Promise.resolve();
    expect(errors).toEqual([failure]);
  });
});
