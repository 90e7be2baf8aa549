import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ApiErrorSchema, issuesOf } from './errors.ts';

describe('ApiError', () => {
  it('lists zod issues with dotted paths', () => {
    const parsed = z.object({ meeting: z.object({ title: z.string().min(1) }) }).safeParse({ meeting: { title: '' } });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const body = { error: { code: 'bad_request', message: 'invalid body', issues: issuesOf(parsed.error) } };
    expect(ApiErrorSchema.parse(body).error.issues?.[0]?.path).toBe('meeting.title');
  });

  it('rejects an unknown error code', () => {
    expect(ApiErrorSchema.safeParse({ error: { code: 'oops', message: 'x' } }).success).toBe(false);
  });
});
