import type { Locator, Page } from 'playwright-core';

/** The messages on screen whose whole body is `text`. */
export const messagesWith = (page: Page, text: string): Locator =>
  page.locator('.message').filter({ has: page.locator('.message-body', { hasText: new RegExp(`^${text}$`) }) });
