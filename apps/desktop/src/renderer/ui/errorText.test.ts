import { describe, expect, it } from 'vitest';
import { errorText } from './errorText.ts';

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
    expect(errorText(new CodedError('unauthenticated', 'wrong e-mail or password'))).toBe('Wrong e-mail or password.');
  });

  it('says what to do when the server is unreachable, whatever the raw message', () => {
    expect(errorText(new CodedError('unavailable', 'fetch failed: ECONNREFUSED'))).toMatch(/cannot be reached/);
  });

  it('keeps the message of an unknown code and of plain values', () => {
    expect(errorText(new CodedError('weird', 'Odd thing happened!'))).toBe('Odd thing happened!');
    expect(errorText('')).toBe('Something went wrong.');
  });
});
