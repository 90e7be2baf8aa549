import { describe, expect, it } from 'vitest';
import { createCallStore } from './callStore.ts';

describe('call UI store', () => {
  it('pins a tile and unpins it on a second toggle', () => {
    const store = createCallStore();
    store.getState().togglePin('bob:camera');
    expect(store.getState().pinned).toBe('bob:camera');
    store.getState().togglePin('bob:camera');
    expect(store.getState().pinned).toBeUndefined();
  });

  it('opens one side panel at a time and closes it when toggled again', () => {
    const store = createCallStore();
    store.getState().togglePanel('chat');
    store.getState().togglePanel('decisions');
    expect(store.getState().panel).toBe('decisions');
    store.getState().togglePanel('decisions');
    expect(store.getState().panel).toBe('none');
  });

  it('opens a panel asked for from outside and keeps it open if it already is', () => {
    const store = createCallStore();
    store.getState().openPanel('chat');
    store.getState().openPanel('chat');
    expect(store.getState().panel).toBe('chat');
  });

  it('gives every call its own state', () => {
    const first = createCallStore();
    first.getState().setLayout('speaker');
    expect(createCallStore().getState().layout).toBe('grid');
  });
});
