import type {
  Meeting,
  MyDelegations,
  PageKey,
  PageDelegation,
  PagesNow,
  PageThreadList,
  TandemClient,
  Unsubscribe,
} from '@tandem/shared';
import { createContext, useContext } from 'react';

/** What the Pages view asks of main (issue 18): who is on which page, one's delegations, threads on pages. */
export type PagesController = {
  now(): Promise<PagesNow>;
  delegations(): Promise<MyDelegations>;
  threads(): Promise<PageThreadList>;
  finish(delegationId: string, status: 'done' | 'cancelled'): Promise<PageDelegation>;
  /** The page's room (made on first use), to join. */
  room(page: PageKey): Promise<Meeting>;
  /** Opens one of these pages (optionally at a field) in the system browser, or a browser tab. */
  open(url: string): Promise<void>;
  /** The organisation's pages changed on the server: read them again. */
  onChanged(listener: () => void): Unsubscribe;
};

export function createPagesController(
  client: Pick<
    TandemClient,
    | 'pagesNow'
    | 'pagesDelegations'
    | 'pagesThreads'
    | 'pagesFinishDelegation'
    | 'pagesOpen'
    | 'pagesRoom'
    | 'onPagesChanged'
  >,
): PagesController {
  return {
    now: () => client.pagesNow({ params: {}, body: {} }),
    delegations: () => client.pagesDelegations({ params: {}, body: {} }),
    threads: () => client.pagesThreads({ params: {}, body: {} }),
    finish: (delegationId, status) => client.pagesFinishDelegation({ params: { delegationId }, body: { status } }),
    room: (page) => client.pagesRoom({ params: {}, body: { page } }),
    open: async (url) => {
      await client.pagesOpen({ url });
    },
    onChanged: (listener) => client.onPagesChanged(() => listener()),
  };
}

/** Provided by the composition root (`main.tsx`) with `createPagesController(client)`. */
export const PagesControllerContext = createContext<PagesController | undefined>(undefined);

export function usePagesController(): PagesController {
  const controller = useContext(PagesControllerContext);
  if (controller === undefined) throw new Error('usePagesController must be used inside PagesControllerContext');
  return controller;
}
