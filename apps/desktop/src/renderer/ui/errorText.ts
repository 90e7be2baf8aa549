import { ErrorCodeSchema, type ErrorCode } from '@tandem/shared';
import type { MessageId } from '../i18n/locales/en.ts';
import { translateNow } from '../i18n/current.ts';
import type { Translate } from '../i18n/useT.ts';

/** Codes whose server wording is for developers; people get a sentence about what to do. */
const BY_CODE: Partial<Readonly<Record<ErrorCode, MessageId>>> = {
  unavailable: 'ui.error.unavailable',
  rate_limited: 'ui.error.rateLimited',
  internal: 'ui.error.internal',
};

/**
 * What a person reads when an action failed. Errors from main carry a shared `code` (the bridge
 * keeps it); anything else shows its message (the server's own words, in English). Always a
 * sentence: capitalised, with a full stop. In the language shown (`t`, by default the one shown now).
 */
export function errorText(error: unknown, t: Translate = translateNow): string {
  const code = ErrorCodeSchema.safeParse(
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined,
  );
  const id = code.success ? BY_CODE[code.data] : undefined;
  if (id !== undefined) return t(id);
  const raw = error instanceof Error ? error.message : String(error);
  const text = raw.trim() === '' ? t('ui.error.unknown') : raw.trim();
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…。]$/.test(sentence) ? sentence : `${sentence}.`;
}
