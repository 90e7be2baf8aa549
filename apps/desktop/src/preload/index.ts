/**
 * Exposes the IPC contract as named methods on `window.tandem`. No logic: one method per
 * channel and one subscription per event, both derived from the shared contract, and never
 * ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNEL_NAMES, IPC_EVENT_NAMES, eventMethodNameOf, methodNameOf, type TandemApi } from '@tandem/shared';

const api: Record<string, unknown> = {};
for (const channel of IPC_CHANNEL_NAMES) {
  api[methodNameOf(channel)] = (request?: unknown) => ipcRenderer.invoke(channel, request ?? {});
}
for (const event of IPC_EVENT_NAMES) {
  api[eventMethodNameOf(event)] = (listener: (payload: unknown) => void) => {
    // Only the payload crosses: the event object would hand the page ipcRenderer's sender.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, forward);
    return () => ipcRenderer.removeListener(event, forward);
  };
}

contextBridge.exposeInMainWorld('tandem', api satisfies Record<string, unknown> as unknown as TandemApi);
