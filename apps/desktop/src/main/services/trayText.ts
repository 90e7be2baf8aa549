import type { PresenceStatus, ShippedLocale } from '@tandem/shared';

/** The tray menu's words: main's own small catalogue (the renderer's needs a DOM-side formatter). */
export type TrayText = {
  readonly open: (product: string) => string;
  readonly joinByCode: string;
  readonly available: string;
  readonly away: string;
  readonly dnd: string;
  readonly quit: string;
  readonly signedOut: string;
  readonly status: Readonly<Record<PresenceStatus, string>>;
  readonly unread: (count: number) => string;
};

const EN: TrayText = {
  open: (product) => `Open ${product}`,
  joinByCode: 'Join by code…',
  available: 'Available',
  away: 'Away',
  dnd: 'Do not disturb',
  quit: 'Quit',
  signedOut: 'signed out',
  status: {
    online: 'Available',
    away: 'Away',
    in_meeting: 'In a call',
    presenting: 'Presenting',
    dnd: 'Do not disturb',
    offline: 'Offline',
  },
  unread: (count) => `${count} unread`,
};

/** In the languages the renderer ships; the right-to-left pseudo-locale is the renderer's test aid only. */
const TRAY_TEXT: Readonly<Record<ShippedLocale, TrayText>> = {
  en: EN,
  'ar-XB': EN,
  de: {
    open: (product) => `${product} öffnen`,
    joinByCode: 'Mit Code beitreten…',
    available: 'Verfügbar',
    away: 'Abwesend',
    dnd: 'Nicht stören',
    quit: 'Beenden',
    signedOut: 'abgemeldet',
    status: {
      online: 'Verfügbar',
      away: 'Abwesend',
      in_meeting: 'Im Anruf',
      presenting: 'Präsentiert',
      dnd: 'Nicht stören',
      offline: 'Offline',
    },
    unread: (count) => `${count} ungelesen`,
  },
  ja: {
    open: (product) => `${product} を開く`,
    joinByCode: 'コードで参加…',
    available: '連絡可能',
    away: '退席中',
    dnd: '応答不可',
    quit: '終了',
    signedOut: 'サインアウト中',
    status: {
      online: '連絡可能',
      away: '退席中',
      in_meeting: '通話中',
      presenting: '発表中',
      dnd: '応答不可',
      offline: 'オフライン',
    },
    unread: (count) => `未読 ${count} 件`,
  },
};

export function trayText(locale: ShippedLocale): TrayText {
  return TRAY_TEXT[locale];
}
