import { useEffect } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { useCallUi } from './callStore.ts';

/**
 * Opens the side panel the app asked this call for (a clicked notification about the meeting's
 * chat, see the controller's openNotification) and clears the request, so it opens once.
 */
export function useCallPanelRequest(): void {
  const request = useAppStore((s) => s.callPanelRequest);
  const openPanel = useCallUi((s) => s.openPanel);
  useEffect(() => {
    if (request === null) return;
    openPanel(request);
    useAppStore.getState().requestCallPanel(null);
  }, [request, openPanel]);
}
