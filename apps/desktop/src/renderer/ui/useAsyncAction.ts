import { useCallback, useState } from 'react';
import { errorText } from './errorText.ts';

export type ActionState = { readonly busy: boolean; readonly error: string | undefined };

/**
 * Runs a user action with visible progress and a visible error: `busy` while it runs (buttons
 * disable and say so), `error` when it failed, cleared on the next attempt.
 */
export function useAsyncAction<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
): [run: (...args: A) => Promise<boolean>, state: ActionState] {
  const [state, setState] = useState<ActionState>({ busy: false, error: undefined });
  const run = useCallback(
    async (...args: A) => {
      setState({ busy: true, error: undefined });
      try {
        await action(...args);
        setState({ busy: false, error: undefined });
        return true;
      } catch (e) {
        setState({ busy: false, error: errorText(e) });
        return false;
      }
    },
    [action],
  );
  return [run, state];
}
