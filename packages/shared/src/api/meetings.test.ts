import { describe, expect, it } from 'vitest';
import { JoinRequestSchema } from './meetings.ts';

describe('JoinRequestSchema', () => {
  it('takes a display name trimmed, and none at all', () => {
    expect(JoinRequestSchema.parse({ displayName: '  Ada L.  ' })).toEqual({ displayName: 'Ada L.' });
    expect(JoinRequestSchema.parse({ displayName: 'Zoë 🎧 Ünal' })).toEqual({ displayName: 'Zoë 🎧 Ünal' });
    expect(JoinRequestSchema.parse({ displayName: 'x'.repeat(64) }).displayName).toHaveLength(64);
    expect(JoinRequestSchema.parse({})).toEqual({});
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['too long', 'x'.repeat(65)],
    ['a newline inside', 'Ada\nHost'],
    ['a NUL', 'Ada\u0000'],
    ['an escape sequence', 'Ada\u001b[31m'],
    ['a C1 control', 'Ada\u0085'],
    ['not a string', 42],
  ])('refuses a display name that is %s', (_, displayName) => {
    expect(JoinRequestSchema.safeParse({ displayName }).success).toBe(false);
  });
});
