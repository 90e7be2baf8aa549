/**
 * One feature folder's messages in every translated language, side by side (`locales/<feature>.ts`):
 * the compiler makes German and Japanese carry every English id, `catalogue.test.ts` checks their
 * placeholders and ICU. `en.ts`, `de.ts` and `ja.ts` spread them in, so English stays the source.
 */
export function featureMessages<const E extends Readonly<Record<string, string>>>(messages: {
  readonly en: E;
  readonly de: Readonly<Record<keyof E, string>>;
  readonly ja: Readonly<Record<keyof E, string>>;
}): typeof messages {
  return messages;
}
