import type { ShippedLocale } from '@tandem/shared';
import { createIntl } from 'react-intl';
import { messagesOf } from './catalogue.ts';
import type { Translate } from './useT.ts';

/** A locale's `t` outside React (tests, and what runs before a component renders). */
export function createTranslator(locale: ShippedLocale): Translate {
  const intl = createIntl({ locale, defaultLocale: 'en', messages: messagesOf(locale) });
  return (id, values) => intl.formatMessage({ id }, values);
}
