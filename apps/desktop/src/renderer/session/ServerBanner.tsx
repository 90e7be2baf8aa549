import type { ConnectionStatus } from '@tandem/shared';
import { useAppStore } from '../store/appStore.ts';
import { Banner } from '../ui/Banner.tsx';

function textOf(status: ConnectionStatus): string | null {
  switch (status) {
    case 'online':
      return null;
    case 'reconnecting':
      return 'Connecting to the server…';
    case 'offline':
      return 'Offline. Cached chats and decisions stay readable; what you write is sent when the connection returns.';
    default: {
      const unreachable: never = status;
      throw new Error(`unknown connection status ${String(unreachable)}`);
    }
  }
}

/** The coordination server's connection state, as main reports it. */
export function ServerBanner() {
  const status = useAppStore((s) => s.connection);
  return (
    <Banner tone={status === 'offline' ? 'warning' : 'info'}>
      {textOf(status) === null ? null : <span data-connection={status}>{textOf(status)}</span>}
    </Banner>
  );
}
