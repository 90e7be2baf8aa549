import { describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.ts';

describe('launchChromium', () => {
  it('spends no renderer on browser UI when a context opens (each one is a new window)', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto('data:text/html,<p>hello</p>');
      const cdp = await browser.newBrowserCDPSession();
      const { targetInfos } = await cdp.send('Target.getTargets');
      // Without the flags, Chromium 156 lists chrome://omnibox-popup.top-chrome/ pages here too.
      expect(targetInfos.map((t) => t.url)).toEqual(['data:text/html,<p>hello</p>']);
    } finally {
      await browser.close();
    }
  });
});
