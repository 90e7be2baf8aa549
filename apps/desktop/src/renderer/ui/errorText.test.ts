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

  it('keeps the message of an unknown code and of plain values', () => {
    expect(errorText(new CodedError('weird', 'Odd thing happened!'), t)).toBe('Odd thing happened!');
    expect(errorText('', t)).toBe('Something went wrong.');
  });
});
