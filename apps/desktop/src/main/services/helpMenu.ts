import { PRODUCT, type ShippedLocale } from '@tandem/shared';
import type { AppMenuSurface } from '../platform/types.ts';
import type { Emit } from './events.ts';

/** The Help menu's items: the first two become the renderer's `shell:command`, About is main's own. */
export const HELP_ACTIONS = ['collectLogs', 'connectionTest', 'about'] as const;
export type HelpAction = (typeof HELP_ACTIONS)[number];

/** The app menu's Help menu as the shell draws it (beside the OS's usual Edit, View and Window). */
export type HelpMenuModel = {
  readonly label: string;
  readonly items: readonly { readonly action: HelpAction; readonly label: string }[];
};

/** What About shows: the product, then each part's version on a line of its own. */
export type AboutBox = { readonly title: string; readonly message: string; readonly detail: string };

type HelpText = {
  readonly help: string;
  readonly collectLogs: string;
  readonly connectionTest: string;
  readonly about: (product: string) => string;
  readonly version: (version: string) => string;
};

const EN: HelpText = {
  help: 'Help',
  collectLogs: 'Collect logs',
  connectionTest: 'Connection test',
  about: (product) => `About ${product}`,
  version: (version) => `Version ${version}`,
};

/** In the languages the renderer ships (its right-to-left pseudo-locale is a test aid: English here). */
const HELP_TEXT: Readonly<Record<ShippedLocale, HelpText>> = {
  en: EN,
  'ar-XB': EN,
  de: {
    help: 'Hilfe',
    collectLogs: 'Protokolle sammeln',
    connectionTest: 'Verbindungstest',
    about: (product) => `Über ${product}`,
    version: (version) => `Version ${version}`,
  },
  ja: {
    help: 'ヘルプ',
    collectLogs: 'ログを収集',
    connectionTest: '接続テスト',
    about: (product) => `${product} について`,
    version: (version) => `バージョン ${version}`,
  },
};

export function helpMenuModel(locale: ShippedLocale): HelpMenuModel {
  const text = HELP_TEXT[locale];
  return {
    label: text.help,
    items: [
      { action: 'collectLogs', label: `${text.collectLogs}…` },
      { action: 'connectionTest', label: text.connectionTest },
      { action: 'about', label: text.about(PRODUCT.productName) },
    ],
  };
}

/** The versions Collect logs also records (app, Electron, Chromium, Node, OS), in a stable order. */
export function aboutBox(locale: ShippedLocale, versions: Readonly<Record<string, string>>): AboutBox {
  const text = HELP_TEXT[locale];
  const { app, ...parts } = versions;
  return {
    title: text.about(PRODUCT.productName),
    message: app === undefined ? PRODUCT.productName : `${PRODUCT.productName} · ${text.version(app)}`,
    detail: Object.entries(parts)
      .map(([part, version]) => `${part} ${version}`)
      .join('\n'),
  };
}

/**
 * The app menu's Help: Collect logs and Connection test reach the renderer (which saves the zip
 * and opens the test screen), About shows the versions. `redraw` follows the app's language.
 */
export function createHelpMenu(deps: {
  readonly surface: AppMenuSurface;
  readonly emit: Emit;
  readonly locale: () => ShippedLocale;
  readonly versions: Readonly<Record<string, string>>;
}): { redraw(): void } {
  const redraw = () => deps.surface.set(helpMenuModel(deps.locale()));
  deps.surface.onAction((action) => {
    if (action === 'about') deps.surface.showAbout(aboutBox(deps.locale(), deps.versions));
    else deps.emit('shell:command', { command: action });
  });
  redraw();
  return { redraw };
}
