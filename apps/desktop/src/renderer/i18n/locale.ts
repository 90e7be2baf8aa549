import { SHIPPED_LOCALES, type Language, type ShippedLocale } from '@tandem/shared';

/** The shipped locales the OS's preferred languages may pick: the pseudo-locale only by hand. */
const FOR_THE_OS: readonly ShippedLocale[] = SHIPPED_LOCALES.filter((locale) => locale !== 'ar-XB');

/** Locales written right to left: the document gets `dir="rtl"` and the CSS's logical properties mirror. */
const RIGHT_TO_LEFT: ReadonlySet<ShippedLocale> = new Set<ShippedLocale>(['ar-XB']);

/**
 * The locale the renderer shows: the chosen one, or for `system` the first of the OS's preferred
 * languages (navigator.languages, e.g. `de-AT`, `ja`) whose language the app ships; English otherwise.
 */
export function resolveLocale(language: Language, preferred: readonly string[]): ShippedLocale {
  if (language !== 'system') return language;
  for (const tag of preferred) {
    const base = tag.split('-')[0]?.toLowerCase();
    const match = FOR_THE_OS.find((locale) => locale === base);
    if (match !== undefined) return match;
  }
  return 'en';
}

export function directionOf(locale: ShippedLocale): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(locale) ? 'rtl' : 'ltr';
}
