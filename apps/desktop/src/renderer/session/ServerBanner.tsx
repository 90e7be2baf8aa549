import type { ConnectionStatus } from '@tandem/shared';
import type { MessageId } from '../i18n/locales/en.ts';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { Banner } from '../ui/Banner.tsx';

function textOf(status: ConnectionStatus): MessageId | null {
  switch (status) {
    case 'online':
      return null;
    case 'reconnecting':
      return 'session.banner.reconnecting';
    case 'offline':
      return 'session.banner.offline';
    default: {
      const unreachable: never = status;
      throw new Error(`unknown connection status ${String(unreachable)}`);
    }
  }
}

/** The coordination server's connection state, as main reports it. */
export function ServerBanner() {
  const t = useT();
  const status = useAppStore((s) => s.connection);
  const text = textOf(status);
  return (
    <Banner tone={status === 'offline' ? 'warning' : 'info'}>
      {text === null ? null : <span data-connection={status}>{t(text)}</span>}
    </Banner>
  );
}
