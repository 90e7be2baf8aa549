import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPageSdk } from './pagesDemo.ts';

describe('the page SDK’s drop-in script as it is built', () => {
  // lib0 (under Yjs) reads debug switches from localStorage as its modules load: in a browser the
  // first read loads the origin's storage synchronously, in the script's own task (B11), and a
  // host app's key of one of those names would change Yjs. The build gives lib0 a storage in memory.
  it('never touches the host page’s localStorage', () => {
    expect(readFileSync(buildPageSdk(), 'utf8')).not.toContain('localStorage');
  }, 60_000);
});
