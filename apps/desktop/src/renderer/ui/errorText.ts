import { ErrorCodeSchema, type ErrorCode } from '@tandem/shared';
import type { MessageId } from '../i18n/locales/en.ts';
import { translateNow } from '../i18n/current.ts';
import type { Translate } from '../i18n/useT.ts';

/**
 * A sentence per machine-readable code, in the language shown. Where the server's wording is for
 * developers (unavailable, rate_limited, internal) people get only what to do; elsewhere the
 * server's words are the substance ("wrong e-mail or password", which field is missing) and the
 * sentence carries them as `{detail}` (the server speaks English: the translations say in their
 * own words what kind of refusal it is, then quote it). Complete: a new code needs its sentence.
 */
const BY_CODE: Readonly<Record<ErrorCode, MessageId>> = {
  bad_request: 'ui.error.badRequest',
  unauthenticated: 'ui.error.unauthenticated',
  forbidden: 'ui.error.forbidden',
  insufficient_scope: 'ui.error.insufficientScope',
  not_found: 'ui.error.notFound',
  conflict: 'ui.error.conflict',
  payload_too_large: 'ui.error.payloadTooLarge',
  unsupported_media_type: 'ui.error.unsupportedMediaType',
  rate_limited: 'ui.error.rateLimited',
  unavailable: 'ui.error.unavailable',
  internal: 'ui.error.internal',
  sso_required: 'ui.error.ssoRequired',
  link_revoked: 'ui.error.linkRevoked',
};

/** Capitalised, with a full stop. */
function sentenceOf(text: string): string {
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…。]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * What a person reads when an action failed. Errors from main carry a shared `code` (the bridge
 * keeps it): a known code reads as its sentence in the language shown (`t`, by default the one
 * shown now); an unknown code or a plain value shows its message as it is (the server's own words,
 * in English). Always a sentence: capitalised, with a full stop.
 */
export function errorText(error: unknown, t: Translate = translateNow): string {
  const code = ErrorCodeSchema.safeParse(
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined,
  );
  const raw = (error instanceof Error ? error.message : String(error)).trim();
  const detail = raw === '' ? t('ui.error.unknown') : sentenceOf(raw);
  return code.success ? sentenceOf(t(BY_CODE[code.data], { detail })) : detail;
}
