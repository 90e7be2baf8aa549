import type { UpdatePlan } from './updatePlan.ts';

/** The part of electron-updater's AppUpdater the plan drives; tests pass a recording object. */
export type Updater = {
  channel: string | null;
  setFeedURL(options: { readonly provider: 'generic'; readonly url: string; readonly channel: string }): void;
  checkForUpdatesAndNotify(): Promise<unknown>;
};

export type UpdateScheduler = {
  readonly every: (intervalMs: number, task: () => void) => () => void;
};

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * Checks now and then every few hours, as the plan says. Returns the stop function; a plan that
 * is off touches the updater not at all, so nothing reaches the network.
 */
export function runUpdates(
  plan: UpdatePlan,
  updater: Updater,
  scheduler: UpdateScheduler,
  onError: (error: unknown) => void,
): () => void {
  if (plan.kind === 'off') return () => undefined;
  if (plan.feedUrl !== undefined) updater.setFeedURL({ provider: 'generic', url: plan.feedUrl, channel: plan.channel });
  updater.channel = plan.channel;
  const check = (): void => {
    updater.checkForUpdatesAndNotify().catch(onError);
  };
  check();
  return scheduler.every(UPDATE_CHECK_INTERVAL_MS, check);
}
