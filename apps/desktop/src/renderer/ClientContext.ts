import type { TandemClient } from '@tandem/shared';
import { createContext, useContext } from 'react';

/**
 * The client for features that call main (or the page's server) directly rather than through a
 * controller: the meeting's collaboration (hands, lobby, polls, Q&A, breakouts, the annotation
 * overlay) and recording. Provided by the composition root (`main.tsx`).
 */
export const ClientContext = createContext<TandemClient | undefined>(undefined);

export function useClient(): TandemClient {
  const client = useContext(ClientContext);
  if (client === undefined) throw new Error('useClient must be used inside ClientContext');
  return client;
}
