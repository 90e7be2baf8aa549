import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import type { ShippedLocale } from '@tandem/shared';
import { de } from './locales/de.ts';
import { en, type Catalogue } from './locales/en.ts';
import { ja } from './locales/ja.ts';
import { pseudoRightToLeft } from './pseudo.ts';

/** The translated catalogues; the pseudo-locale is made from English when first shown. */
export const TRANSLATIONS: Readonly<Record<Exclude<ShippedLocale, 'ar-XB'>, Catalogue>> = { en, de, ja };

let pseudo: Record<string, MessageFormatElement[]> | null = null;

/** What react-intl's provider takes for a locale: ICU strings, or the pseudo-locale's parsed messages. */
export function messagesOf(locale: ShippedLocale): Record<string, string> | Record<string, MessageFormatElement[]> {
  if (locale !== 'ar-XB') return TRANSLATIONS[locale];
  pseudo ??= pseudoRightToLeft(en);
  return pseudo;
}
