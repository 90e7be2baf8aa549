import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/translator.ts';
import { errorText } from './errorText.ts';

const t = createTranslator('en');

class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

describe('errorText', () => {
  it('turns a server message into a sentence', () => {
    expect(errorText(new CodedError('unauthenticated', 'wrong e-mail or password'), t)).toBe(
      'Wrong e-mail or password.',
    );
  });

  it('says what to do when the server is unreachable, whatever the raw message', () => {
    expect(errorText(new CodedError('unavailable', 'fetch failed: ECONNREFUSED'), t)).toMatch(/cannot be reached/);
    expect(errorText(new CodedError('unavailable', 'fetch failed'), createTranslator('de'))).toMatch(
      /nicht erreichbar/,
    );
  });

  it('reads every known code in the language shown, quoting what the server said', () => {
    const de = createTranslator('de');
    expect(errorText(new CodedError('unauthenticated', 'wrong e-mail or password'), de)).toBe(
      'Nicht angemeldet oder Anmeldedaten falsch (Server: „Wrong e-mail or password.“).',
    );
    expect(errorText(new CodedError('forbidden', 'hosts only'), createTranslator('ja'))).toMatch(
      /^この操作は許可されていません/,
    );
    expect(errorText(new CodedError('internal', 'TypeError: x is undefined'), de)).not.toMatch(/TypeError/);
  });

  it('keeps the message of an unknown code and of plain values', () => {
    expect(errorText(new CodedError('weird', 'Odd thing happened!'), t)).toBe('Odd thing happened!');
    expect(errorText('', t)).toBe('Something went wrong.');
  });
});
