import { IPC_CHANNELS, IPC_EVENTS, prebuild, ROUTES, ServerMessageSchema } from '@tandem/shared';

/**
 * The contracts a guest's knock is checked against on its way into the call, in the order it
 * needs them: the knock itself and its answer, the socket's messages, the join, the admission.
 * Each is built on first use (packages/shared `lazySchema`), which would put that work between
 * the knock and the first frame (the socket's message union alone is tens of milliseconds, B7).
 */
const KNOCK_CONTRACTS = [
  [IPC_CHANNELS['auth:joinAsGuest'].request, IPC_CHANNELS['auth:joinAsGuest'].response, ROUTES.joinAsGuest.response],
  [ServerMessageSchema],
  [ROUTES.joinMeeting.response, IPC_EVENTS['meeting:admission']],
] as const;

/**
 * Builds the knock's contracts while the guest types a name: one group per idle moment of the
 * page, so typing is never held up. Answers how to stop (the form went away).
 */
export function prepareKnock(): () => void {
  let next = 0;
  let stop = (): void => {};
  const step = (): void => {
    const group = KNOCK_CONTRACTS[next];
    if (group === undefined) return;
    next += 1;
    prebuild(...group);
    schedule();
  };
  const schedule = (): void => {
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(step, { timeout: 1_000 });
      stop = () => cancelIdleCallback(id);
    } else {
      const id = setTimeout(step, 50);
      stop = () => clearTimeout(id);
    }
  };
  schedule();
  return () => stop();
}
