import { useCallback } from 'react';
import { useIntl } from 'react-intl';
import type { MessageId } from './locales/en.ts';

/** What fills a message's placeholders: text, numbers and dates (formatted by the message). */
export type MessageValues = Readonly<Record<string, string | number | boolean | Date | null | undefined>>;

/** Translates a message id (checked by the compiler) with its placeholders. */
export type Translate = (id: MessageId, values?: MessageValues) => string;

/** The current language's `t(id, values)`; components re-render when the language changes. */
export function useT(): Translate {
  const intl = useIntl();
  return useCallback((id, values) => intl.formatMessage({ id }, values), [intl]);
}
