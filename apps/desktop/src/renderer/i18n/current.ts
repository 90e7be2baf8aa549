import type { ShippedLocale } from '@tandem/shared';
import { createTranslator } from './translator.ts';
import type { Translate } from './useT.ts';

let locale: ShippedLocale = 'en';
let current: Translate = createTranslator(locale);

/** Called by `I18nProvider` as it renders a locale, before its children. */
export function setLocaleOutsideReact(next: ShippedLocale): void {
  if (next === locale) return;
  locale = next;
  current = createTranslator(next);
}

/** The shown language, for code outside a component that formats with `Intl` (lists of names). */
export const localeNow = (): ShippedLocale => locale;

/**
 * The shown language's `t` for code that runs outside a component when something happens (an
 * error's sentence in a catch, the controller's notices). Components use `useT()`, which
 * re-renders them when the language changes; a sentence made here keeps the language it was made in.
 */
export const translateNow: Translate = (id, values) => current(id, values);
