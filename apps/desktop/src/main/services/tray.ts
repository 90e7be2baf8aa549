import {
  PRODUCT,
  type ChosenStatus,
  type Presence,
  type PresenceStatus,
  type SetPresenceRequest,
} from '@tandem/shared';
import { mainText, type MainText } from '../i18n/mainText.ts';

/** What a tray item does: the shell opens the window or quits; the rest choose the person's status. */
export type TrayAction = 'open' | 'joinByCode' | ChosenStatus | 'quit';

export type TrayItem =
  | { readonly kind: 'action'; readonly action: TrayAction; readonly label: string; readonly checked?: boolean }
  | { readonly kind: 'separator' };

/**
 * The icon's variant (drawn by services/trayImage.ts): the person's status as a coloured dot
 * (busy: chosen, or in a call; do not disturb also while presenting), and a second dot while
 * anything is unread; greyed, without dots, when signed out.
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
    case 'busy':
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
  /** The person's own presence as the server shows it (and what they chose); null before it is known. */
  readonly presence: Pick<Presence, 'status' | 'chosen'> | null;
  /** What the app icon's badge counts (services/badge.ts). */
  readonly unread: number;
};

/**
 * The tray's (Windows, Linux) and menu bar's (macOS) icon and menu, as Teams and Slack have them:
 * the status to choose (the one chosen ticked: Available when none, even while a call or being idle
 * shows otherwise), open, quit; the icon shows both the status others see and whether anything is
 * unread. In the app's language (`text`, English by default).
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
  const status = state.presence?.status ?? 'online';
  const chosen = state.presence?.chosen ?? 'available';
  const choice = (action: ChosenStatus, label: string): TrayItem => ({
    kind: 'action',
    action,
    label,
    checked: chosen === action,
  });
  return {
    icon: { status: iconStatus(status), unread: state.unread > 0 },
    tooltip: t('tray.tooltip', { product, status, unread: state.unread }),
    unread: state.unread,
    items: [
      open,
      { kind: 'action', action: 'joinByCode', label: t('tray.joinByCode') },
      { kind: 'separator' },
      choice('available', t('tray.available')),
      choice('busy', t('tray.busy')),
      choice('dnd', t('tray.dnd')),
      choice('away', t('tray.away')),
      { kind: 'separator' },
      quit,
    ],
  };
}

/** What a tray status item asks the server; null for the shell's own items (open, quit). */
export function trayStatusRequest(action: TrayAction): SetPresenceRequest | null {
  switch (action) {
    case 'available':
    case 'busy':
    case 'dnd':
    case 'away':
      // Until changed: active or idle stays the idle watch's to say (services/idle.ts).
      return { chosen: action };
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
