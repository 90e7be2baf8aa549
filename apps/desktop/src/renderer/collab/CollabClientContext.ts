import type { TandemClient } from '@tandem/shared';
import { createContext, useContext } from 'react';

/**
 * The client the meeting's collaboration calls (hands, lobby, polls, Q&A, breakouts, the
 * annotation overlay); provided by the composition root (`main.tsx`).
 */
export const CollabClientContext = createContext<TandemClient | undefined>(undefined);

export function useCollabClient(): TandemClient {
  const client = useContext(CollabClientContext);
  if (client === undefined) throw new Error('useCollabClient must be used inside CollabClientContext');
  return client;
}
