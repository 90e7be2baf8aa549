/**
 * Ends the current task, so that the host page can take input and paint before the SDK goes on:
 * `scheduler.yield()` where the browser has it (the rest runs before other queued work), else a
 * new task.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
