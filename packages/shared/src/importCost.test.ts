import { expect, it } from 'vitest';
import { z } from 'zod';

// The contracts are imported by every process and page, which each need few of them: a schema
// declared at module level is wrapped in `lazySchema` (see lazySchema.ts), or this count grows
// (it was 3,229 zod instances, ~100 ms per page load of the browser client, before they were).
it('creates next to no schema when the package is imported', async () => {
  let created = 0;
  z.config({ postProcessor: () => (created += 1) });
  try {
    await import('./index.ts');
  } finally {
    z.config({ postProcessor: undefined });
  }
  expect(created).toBeLessThan(100);
});
