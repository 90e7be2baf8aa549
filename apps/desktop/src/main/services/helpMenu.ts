import { PRODUCT, type ShippedLocale } from '@tandem/shared';
import { mainText } from '../i18n/mainText.ts';
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

/** In the app's language (main's catalogue, `i18n/messages.ts`). */
export function helpMenuModel(locale: ShippedLocale): HelpMenuModel {
  const { t } = mainText(locale);
  return {
    label: t('help.menu'),
    items: [
      { action: 'collectLogs', label: t('help.collectLogs') },
      { action: 'connectionTest', label: t('help.connectionTest') },
      { action: 'about', label: t('help.about', { product: PRODUCT.productName }) },
    ],
  };
}

/** The versions Collect logs also records (app, Electron, Chromium, Node, OS), in a stable order. */
export function aboutBox(locale: ShippedLocale, versions: Readonly<Record<string, string>>): AboutBox {
  const { t } = mainText(locale);
  const product = PRODUCT.productName;
  const { app, ...parts } = versions;
  return {
    title: t('help.about', { product }),
    message: app === undefined ? product : t('help.version', { product, version: app }),
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
