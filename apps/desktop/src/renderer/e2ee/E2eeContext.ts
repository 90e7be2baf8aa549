import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { E2eeSession, E2eeState } from './session.ts';

/** The call's encryption session; absent in a meeting that is not end-to-end encrypted. */
export const E2eeSessionContext = createContext<E2eeSession | undefined>(undefined);

export function useE2eeSession(): E2eeSession {
  const session = useContext(E2eeSessionContext);
  if (session === undefined) throw new Error('useE2eeSession must be used inside an encrypted call');
  return session;
}

export function useE2ee<T>(select: (s: E2eeState) => T): T {
  return useStore(useE2eeSession().store, select);
}
