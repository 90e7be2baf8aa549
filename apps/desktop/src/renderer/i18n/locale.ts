import type { ShippedLocale } from '@tandem/shared';

export { resolveLocale } from '@tandem/shared';

/** Locales written right to left: the document gets `dir="rtl"` and the CSS's logical properties mirror. */
const RIGHT_TO_LEFT: ReadonlySet<ShippedLocale> = new Set<ShippedLocale>(['ar-XB']);

export function directionOf(locale: ShippedLocale): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr';
}
