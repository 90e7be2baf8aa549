import { ErrorCodeSchema, type ErrorCode } from '@tandem/shared';

/** Codes whose server wording is for developers; people get a sentence about what to do. */
const BY_CODE: Partial<Readonly<Record<ErrorCode, string>>> = {
  unavailable: 'The server cannot be reached right now. Try again when you are back online.',
  rate_limited: 'Too many attempts. Wait a minute, then try again.',
  internal: 'Something went wrong on our side. Try again.',
};

/**
 * What a person reads when an action failed. Errors from main carry a shared `code` (the bridge
 * keeps it); anything else shows its message. Always a sentence: capitalised, with a full stop.
 */
export function errorText(error: unknown): string {
  const code = ErrorCodeSchema.safeParse(
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined,
  );
  const raw =
    (code.success ? BY_CODE[code.data] : undefined) ?? (error instanceof Error ? error.message : String(error));
  const text = raw.trim() === '' ? 'Something went wrong.' : raw.trim();
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(sentence) ? sentence : `${sentence}.`;
}
