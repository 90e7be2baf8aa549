import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import { buildPageSdk } from './pagesDemo.ts';

describe('the page SDK’s drop-in script as it is built', () => {
  // lib0 (under Yjs) reads debug switches from localStorage as its modules load: in a browser the
  // first read loads the origin's storage synchronously, in the script's own task (B11), and a
  // host app's key of one of those names would change Yjs. The build gives lib0 a storage in memory.
  it('never touches the host page’s localStorage', () => {
    expect(readFileSync(buildPageSdk(), 'utf8')).not.toContain('localStorage');
  }, 60_000);

  // A deferred script runs in the task that ends the host page's parsing (B11): the drop-in's own
  // evaluation leaves its modules (and so the session) to tasks of their own.
  it('starts the SDK in tasks after its own, in Chromium', async () => {
    const sdk = readFileSync(buildPageSdk(), 'utf8');
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.route('http://host.test/**', (route) => {
        const url = route.request().url();
        if (url.endsWith('/sdk.js')) return route.fulfill({ contentType: 'text/javascript', body: sdk });
        if (url.endsWith('/order')) {
          return route.fulfill({
            contentType: 'text/html',
            body: `<!doctype html><title>Order</title><form><input name="a"></form>
<script src="/sdk.js" data-token-endpoint="/token" defer></script>
<script defer src="data:text/javascript,window.startedInItsTask='TandemPages' in window"></script>`,
          });
        }
        return route.fulfill({ status: 503 });
      });
      await page.goto('http://host.test/order');
      await page.waitForFunction(() => 'TandemPages' in globalThis);
      expect(await page.evaluate(() => (globalThis as { startedInItsTask?: boolean }).startedInItsTask)).toBe(false);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
