import type { ConnectionStatus } from '@tandem/shared';
import type { Emit } from './events.ts';

export type ConnectionState = {
  status(): ConnectionStatus;
  set(status: ConnectionStatus): void;
  /** Called on every change, after the renderer has been told. */
  onChange(listener: (status: ConnectionStatus) => void): () => void;
};

/** The app's link to the coordination server, as the renderer's banner shows it. */
export function createConnectionState(emit: Emit): ConnectionState {
  let current: ConnectionStatus = 'offline';
  const listeners = new Set<(status: ConnectionStatus) => void>();
  return {
    status: () => current,
    set(status) {
      if (status === current) return;
      current = status;
      emit('connection:changed', { status });
      for (const listener of listeners) listener(status);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
