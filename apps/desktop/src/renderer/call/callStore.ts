import { createContext, useContext } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { LayoutMode } from './layout.ts';

export type SidePanel =
  | 'none'
  | 'participants'
  | 'chat'
  | 'decisions'
  // In-meeting collaboration (collab/CollabPanels.tsx).
  | 'meeting'
  | 'polls'
  | 'qna'
  | 'breakouts';

/**
 * UI state of one call. It lives as long as the call view, so it is a vanilla store in context
 * rather than a slice of the app store: leaving a call drops it, and two calls never share it.
 * LiveKit state (who is here, who speaks, which tracks) is not here: it is read from the Room.
 */
export type CallUiState = {
  readonly layout: LayoutMode;
  readonly pinned: string | undefined;
  readonly panel: SidePanel;
  readonly screenPickerOpen: boolean;
  /** The whiteboard on the stage (whiteboard/), with the tiles beside it. */
  readonly boardOpen: boolean;
  setLayout(layout: LayoutMode): void;
  togglePin(key: string): void;
  togglePanel(panel: Exclude<SidePanel, 'none'>): void;
  openPanel(panel: Exclude<SidePanel, 'none'>): void;
  closePanel(): void;
  setScreenPickerOpen(open: boolean): void;
  setBoardOpen(open: boolean): void;
};

export function createCallStore(): StoreApi<CallUiState> {
  return createStore<CallUiState>()((set) => ({
    layout: 'grid',
    pinned: undefined,
    panel: 'none',
    screenPickerOpen: false,
    boardOpen: false,
    setLayout: (layout) => set({ layout }),
    togglePin: (key) => set((s) => ({ pinned: s.pinned === key ? undefined : key })),
    togglePanel: (panel) => set((s) => ({ panel: s.panel === panel ? 'none' : panel })),
    openPanel: (panel) => set({ panel }),
    closePanel: () => set({ panel: 'none' }),
    setScreenPickerOpen: (screenPickerOpen) => set({ screenPickerOpen }),
    setBoardOpen: (boardOpen) => set({ boardOpen }),
  }));
}

export const CallStoreContext = createContext<StoreApi<CallUiState> | undefined>(undefined);

/** Reads the current call's UI state; throws outside a call, where there is none to read. */
export function useCallUi<T>(selector: (state: CallUiState) => T): T {
  const store = useContext(CallStoreContext);
  if (store === undefined) throw new Error('useCallUi must be used inside a call (CallStoreContext)');
  return useStore(store, selector);
}
