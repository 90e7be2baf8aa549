import { describe, expect, it } from 'vitest';
import { initialsOf } from './format.ts';

describe('initialsOf', () => {
  it('takes the first and last word', () => {
    expect(initialsOf('Ada  King Lovelace')).toBe('AL');
    expect(initialsOf('bob')).toBe('B');
    expect(initialsOf('  ')).toBe('');
  });
});
