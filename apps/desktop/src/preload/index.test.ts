import { IPC_CHANNEL_NAMES, IPC_EVENT_NAMES, eventMethodNameOf, methodNameOf } from '@tandem/shared';
import { beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Electron cannot run here, so this test fakes its two preload modules (contextBridge and
 * ipcRenderer) with small recorders: the narrowest seam, to check what the page is given.
 */
const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const listeners = new Map<string, (event: unknown, payload: unknown) => void>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, result: 'answer' };
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.set(channel, listener),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

type Api = Record<string, (arg?: unknown) => unknown>;
let api: Api;

beforeAll(async () => {
  await import('./index.ts');
  api = exposed.get('tandem') as Api;
});

describe('preload (with a fake of Electron’s contextBridge and ipcRenderer)', () => {
  it('exposes exactly one named method per channel and event, and nothing else', () => {
    expect([...exposed.keys()]).toEqual(['tandem']);
    expect(Object.keys(api).sort()).toEqual(
      [...IPC_CHANNEL_NAMES.map(methodNameOf), ...IPC_EVENT_NAMES.map(eventMethodNameOf)].sort(),
    );
  });

  it('invokes the method’s own channel, with {} when called without a request', async () => {
    expect(await api['chatSend']?.({ conversationId: 'c', body: 'hi' })).toEqual({ ok: true, result: 'answer' });
    await api['settingsGet']?.();
    expect(invoked).toEqual([
      ['chat:send', { conversationId: 'c', body: 'hi' }],
      ['settings:get', {}],
    ]);
  });

  it('hands listeners the payload only, never the IPC event, and unsubscribes', () => {
    const received: unknown[] = [];
    const unsubscribe = api['onConnectionChanged']?.((payload: unknown) => received.push(payload)) as () => void;
    listeners.get('connection:changed')?.({ sender: 'ipcRenderer itself' }, { status: 'online' });
    expect(received).toEqual([{ status: 'online' }]);
    unsubscribe();
    expect(listeners.has('connection:changed')).toBe(false);
  });
});
