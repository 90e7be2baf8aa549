import { PRODUCT, type PresenceStatus, type SetPresenceRequest } from '@tandem/shared';
import { mainText, type MainText } from '../i18n/mainText.ts';

/** What a tray item does: the shell opens the window or quits; the rest set the person's status. */
export type TrayAction = 'open' | 'joinByCode' | 'available' | 'away' | 'dnd' | 'quit';

export type TrayItem =
  | { readonly kind: 'action'; readonly action: TrayAction; readonly label: string; readonly checked?: boolean }
  | { readonly kind: 'separator' };

/**
 * The icon's variant (drawn by services/trayImage.ts): the person's status as a coloured dot
 * (busy: in a call; do not disturb also while presenting), and a second dot while anything is
 * unread; greyed, without dots, when signed out.
 */
export type TrayIcon = {
  readonly status: 'signed-out' | 'available' | 'away' | 'busy' | 'dnd' | 'offline';
  readonly unread: boolean;
};

/** The dot a presence status shows as on the tray icon. */
function iconStatus(status: PresenceStatus): Exclude<TrayIcon['status'], 'signed-out'> {
  switch (status) {
    case 'online':
      return 'available';
    case 'away':
      return 'away';
    case 'in_meeting':
      return 'busy';
    case 'presenting':
    case 'dnd':
      return 'dnd';
    case 'offline':
      return 'offline';
    default: {
      const unreachable: never = status;
      throw new Error(`unknown presence status ${String(unreachable)}`);
    }
  }
}

export type TrayModel = {
  readonly icon: TrayIcon;
  readonly tooltip: string;
  /** The badge's count (macOS shows it beside the menu bar icon). */
  readonly unread: number;
  readonly items: readonly TrayItem[];
};

export type TrayState = {
  readonly signedIn: boolean;
  /** The person's own presence as the server shows it; null before it is known. */
  readonly status: PresenceStatus | null;
  /** What the app icon's badge counts (services/badge.ts). */
  readonly unread: number;
};

/**
 * The tray's (Windows, Linux) and menu bar's (macOS) icon and menu, as Teams and Slack have them:
 * the status to set, open, quit; the icon shows both the status and whether anything is unread. In
 * the app's language (`text`, English by default).
 */
export function trayModel(state: TrayState, { t }: MainText = mainText('en')): TrayModel {
  const product = PRODUCT.productName;
  const open: TrayItem = { kind: 'action', action: 'open', label: t('tray.open', { product }) };
  const quit: TrayItem = { kind: 'action', action: 'quit', label: t('tray.quit') };
  if (!state.signedIn) {
    return {
      icon: { status: 'signed-out', unread: false },
      tooltip: t('tray.signedOut', { product }),
      unread: 0,
      items: [open, { kind: 'separator' }, quit],
    };
  }
  const status = state.status ?? 'online';
  const choice = (action: 'available' | 'away' | 'dnd', label: string, checked: boolean): TrayItem => ({
    kind: 'action',
    action,
    label,
    checked,
  });
  return {
    icon: { status: iconStatus(status), unread: state.unread > 0 },
    tooltip: t('tray.tooltip', { product, status, unread: state.unread }),
    unread: state.unread,
    items: [
      open,
      { kind: 'action', action: 'joinByCode', label: t('tray.joinByCode') },
      { kind: 'separator' },
      choice(
        'available',
        t('tray.available'),
        status === 'online' || status === 'in_meeting' || status === 'presenting',
      ),
      choice('away', t('tray.away'), status === 'away'),
      choice('dnd', t('tray.dnd'), status === 'dnd'),
      { kind: 'separator' },
      quit,
    ],
  };
}

/** What a tray status item asks the server; null for the shell's own items (open, quit). */
export function trayStatusRequest(action: TrayAction): SetPresenceRequest | null {
  switch (action) {
    case 'available':
      return { status: 'online', dnd: false };
    case 'away':
      return { status: 'away', dnd: false };
    case 'dnd':
      return { dnd: true };
    case 'open':
    case 'joinByCode':
    case 'quit':
      return null;
    default: {
      const unreachable: never = action;
      throw new Error(`unknown tray action ${String(unreachable)}`);
    }
  }
}
