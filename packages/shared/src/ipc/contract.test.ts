import { describe, expect, it } from 'vitest';
import { eventMethodNameOf, methodNameOf } from './api.ts';
import { IPC_CHANNELS, IPC_CHANNEL_NAMES, IPC_EVENT_NAMES, isIpcChannel } from './contract.ts';

describe('IPC contract', () => {
  it('names every channel domain:verb and derives distinct method names', () => {
    for (const name of [...IPC_CHANNEL_NAMES, ...IPC_EVENT_NAMES])
      expect(name).toMatch(/^[a-z][A-Za-z]*:[a-z][A-Za-z]*$/);
    const methods = [...IPC_CHANNEL_NAMES.map(methodNameOf), ...IPC_EVENT_NAMES.map(eventMethodNameOf)];
    expect(new Set(methods).size).toBe(methods.length);
    expect(methodNameOf('shell:openExternal')).toBe('shellOpenExternal');
    expect(eventMethodNameOf('chat:messages')).toBe('onChatMessages');
  });

  it('knows its own channels and nothing inherited', () => {
    expect(isIpcChannel('chat:send')).toBe(true);
    expect(isIpcChannel('toString')).toBe(false);
    expect(isIpcChannel('__proto__')).toBe(false);
  });

  it('fills request defaults and refuses unknown keys on empty requests', () => {
    expect(IPC_CHANNELS['chat:list'].request.parse({ conversationId: 'c1' })).toEqual({
      conversationId: 'c1',
      limit: 100,
    });
    expect(IPC_CHANNELS['settings:get'].request.safeParse({ sneaky: true }).success).toBe(false);
    expect(IPC_CHANNELS['decisions:update'].request.safeParse({ clientId: 'd', patch: {} }).success).toBe(false);
  });
});
