import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logsDir, screenshotsDir, startPagesDemo, type RunningPagesDemo } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import { ROUTES } from '@tandem/shared';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { framesInASecond } from './support/media.ts';
import { joinFromPreview, ownerToken, signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

/**
 * Issue 18 end to end: the real Flask-AppBuilder demo (examples/flask-appbuilder, from its pinned
 * venv) with the page SDK in its base template, the real coordination server minting page tokens
 * through the demo's backend, two people in real Chromium on one purchase order, and Grace's
 * desktop app (the harness) hearing of a delegation and showing the Pages view, and an ask for an
 * expert from the page that rings Grace's desktop and brings both into the page's room with video.
 */

const livekit = inject('livekit');
const [ada, grace] = DEMO_PEOPLE;
const SYNC = { timeout: 15_000 } as const;
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });
const SDK = '[data-tandem-pages]';
const MEDIA = { timeout: 45_000, interval: 500 } as const;

describe('pages: two people on one purchase order of a real Flask-AppBuilder app', () => {
  let world: World<readonly ['grace', 'ada']>;
  let demo: RunningPagesDemo;
  const contexts: BrowserContext[] = [];
  let adaPage: Page;
  let gracePage: Page;
  const field = (page: Page, name: string) => page.locator(`form [name="${name}"]`).first();

  async function onPurchaseOrder(email: string): Promise<Page> {
    const context = await world.browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${demo.url}/login/`);
    await page.locator('#username').fill(email);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.locator('input[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${demo.url}/purchaseorderview/edit/1`);
    return page;
  }

  beforeAll(async () => {
    world = await startWorld(livekit, ['grace', 'ada'] as const);
    const response = await fetch(`${world.server.url}${ROUTES.createApiKey.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(world.server.url)}` },
      body: JSON.stringify({ name: 'Procurement (pages)', scopes: ['pages:write'] }),
    });
    const { key } = (await response.json()) as { key: string };
    demo = await startPagesDemo({
      tandemUrl: world.server.url,
      apiKey: key,
      users: DEMO_PEOPLE.map((p) => `${p.email}:${p.name}`),
      password: DEMO_PASSWORD,
      database: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-pages-demo-')), 'demo.db'),
      logFile: path.join(logsDir, 'pages-demo-e2e.log'),
    });
    await signIn(world.desktops[0].page, world.server.url, grace);
    await signIn(world.desktops[1].page, world.server.url, ada);
    adaPage = await onPurchaseOrder(ada.email);
    gracePage = await onPurchaseOrder(grace.email);
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await demo?.stop();
    await world?.close();
  });

  it('shows each the other: avatar with status, the field they are in, their cursor', async () => {
    for (const page of [adaPage, gracePage])
      await expect.poll(() => page.locator(`${SDK} [role="list"] [role="listitem"]`).count(), SYNC).toBe(2);
    await expect.poll(() => gracePage.getByRole('listitem', { name: /^Ada Demo: online/ }).count(), SYNC).toBe(1);
    await field(adaPage, 'supplier').focus();
    await gracePage.locator('[data-ring="Ada Demo"]').waitFor(SYNC);
    await expect
      .poll(() => gracePage.getByRole('listitem', { name: /^Ada Demo: .*in Supplier$/ }).count(), SYNC)
      .toBe(1);
    await adaPage.mouse.move(400, 300);
    await adaPage.mouse.move(420, 320);
    await gracePage.locator('[data-cursor="Ada Demo"]').waitFor(SYNC);
    await shot(gracePage, 'page-presence');
    // Ada turns her cursor off: Grace no longer sees it.
    await adaPage.getByRole('button', { name: 'My cursor: shown' }).click();
    await gracePage.locator('[data-cursor="Ada Demo"]').waitFor({ state: 'detached', ...SYNC });
  });

  it('merges typing into different fields and into the same one, and the submit saves what both see', async () => {
    await field(adaPage, 'supplier').fill('Acme Tools GmbH');
    await field(gracePage, 'quantity').fill('12');
    const notesA = field(adaPage, 'notes');
    const notesG = field(gracePage, 'notes');
    await notesA.click();
    await notesA.pressSequentially('Deliver to dock 4.');
    await expect.poll(() => notesG.inputValue(), SYNC).toBe('Deliver to dock 4.');
    // Both at once: Ada at the end, Grace at the start.
    await notesG.focus();
    await gracePage.keyboard.press('Control+Home');
    await Promise.all([notesA.pressSequentially(' Call first.'), notesG.pressSequentially('Urgent. ')]);
    const both = 'Urgent. Deliver to dock 4. Call first.';
    for (const page of [adaPage, gracePage]) {
      await expect.poll(() => field(page, 'notes').inputValue(), SYNC).toBe(both);
      await expect.poll(() => field(page, 'supplier').inputValue(), SYNC).toBe('Acme Tools GmbH');
      await expect.poll(() => field(page, 'quantity').inputValue(), SYNC).toBe('12');
    }
    await gracePage.locator('form button[type="submit"], form input[type="submit"]').first().click();
    await gracePage.waitForLoadState();
    await gracePage.goto(`${demo.url}/purchaseorderview/edit/1`);
    expect(await field(gracePage, 'notes').inputValue()).toBe(both);
    expect(await field(gracePage, 'supplier').inputValue()).toBe('Acme Tools GmbH');
  });

  it('Ada delegates Amount to Grace: Grace is notified, only she edits it, and a crafted submit by Ada is refused', async () => {
    await adaPage.locator(`${SDK} [data-tandem-menu="amount"]`).click();
    await adaPage.getByRole('menuitem', { name: 'Delegate to a colleague…' }).click();
    const dialog = adaPage.getByRole('dialog', { name: 'Delegate “Amount”' });
    await dialog.getByLabel('Find a colleague').fill('Grace');
    await expect.poll(() => dialog.getByLabel('Colleague').locator('option').count(), SYNC).toBe(1);
    await dialog.getByLabel('Note').fill('Please check the quote');
    await dialog.getByRole('button', { name: 'Delegate' }).click();
    await adaPage.locator('[data-tandem-lock="amount"]').waitFor(SYNC);
    expect(await adaPage.locator('[data-tandem-lock="amount"]').textContent()).toContain('Delegated to Grace Demo');
    expect(await field(adaPage, 'amount').getAttribute('readonly')).not.toBeNull();

    // Grace's desktop hears of it.
    const desktop = world.desktops[0];
    await expect
      .poll(() => desktop.side.notifications.shown.map((n) => n.title), SYNC)
      .toContain('Ada Demo delegated “Amount” to you');
    // Clicking it opens the page at the field in her browser (main hands the link to the OS).
    expect(desktop.side.notifications.click('Ada Demo delegated “Amount” to you')).toBe(true);
    const atField = `${demo.url}/purchaseorderview/edit/1#tandem-field=amount`;
    await expect.poll(() => desktop.side.openedLinks, SYNC).toContain(atField);
    // Her page, opened there, lets her write it; Ada's follows.
    await gracePage.goto(atField);
    await gracePage.locator('[data-tandem-lock="amount"]').waitFor(SYNC);
    await expect
      .poll(() => gracePage.evaluate(() => document.activeElement?.getAttribute('name')), SYNC)
      .toBe('amount');
    await field(gracePage, 'amount').fill('1500.00');
    await expect.poll(() => field(adaPage, 'amount').inputValue(), SYNC).toBe('1500.00');
    await shot(adaPage, 'page-delegation');

    // Ada types into it anyway: nothing changes.
    await field(adaPage, 'amount').press('End');
    await field(adaPage, 'amount').pressSequentially('9');
    expect(await field(adaPage, 'amount').inputValue()).toBe('1500.00');

    // Grace saves; Ada's crafted submit of Amount (the form posted by hand) is refused by the verify API.
    await gracePage.locator('form button[type="submit"], form input[type="submit"]').first().click();
    await gracePage.waitForLoadState();
    const crafted = await adaPage.evaluate(async () => {
      const form = document.querySelector<HTMLFormElement>('form#model_form') ?? document.querySelector('form');
      if (form === null) return 'no form';
      const data = new FormData(form);
      data.set('amount', '1.00');
      const r = await fetch(form.action || location.href, { method: 'POST', body: data });
      return r.text();
    });
    expect(crafted).toContain('Not saved: Amount (delegated to Grace Demo)');
    await gracePage.goto(`${demo.url}/purchaseorderview/edit/1`);
    expect(await field(gracePage, 'amount').inputValue()).toBe('1500.00');
  });

  it('a thread on a field is a conversation Grace finds in her desktop app, with the link back; the Pages view shows it all', async () => {
    await adaPage.locator(`${SDK} [data-tandem-thread="supplier"]`).click();
    const panel = adaPage.getByRole('dialog', { name: 'Comments on “Supplier”' });
    await panel.getByRole('textbox', { name: 'Comment' }).fill('Is Acme Tools GmbH the right legal entity?');
    await panel.getByRole('button', { name: 'Send' }).click();
    await panel.getByText('Is Acme Tools GmbH the right legal entity?').waitFor(SYNC);
    expect((await accessibilityViolations(adaPage, SDK)).join('\n')).toBe('');
    await shot(adaPage, 'page-field-thread');

    const desktop = world.desktops[0].page;
    await desktop.getByRole('button', { name: 'Pages', exact: true }).click();
    await desktop.getByRole('heading', { name: 'Pages', level: 1 }).waitFor();
    const todo = desktop.getByRole('region', { name: 'Delegated to me' });
    await todo.getByRole('link', { name: 'Amount · Purchase order PO-1001' }).waitFor(SYNC);
    await desktop
      .getByRole('region', { name: 'On pages now' })
      .getByText(/Ada Demo/)
      .waitFor(SYNC);
    const thread = desktop
      .getByRole('region', { name: 'Threads on pages' })
      .getByRole('button', { name: 'Supplier · Purchase order PO-1001' });
    await thread.waitFor(SYNC);
    expect((await accessibilityViolations(desktop)).join('\n')).toBe('');
    await shot(desktop, 'desktop-pages-view');
    // One click opens the page at the delegated field, or at the thread's, in the system browser.
    const opened = world.desktops[0].side.openedLinks;
    await todo.getByRole('link', { name: 'Amount · Purchase order PO-1001' }).click();
    await expect.poll(() => opened.at(-1), SYNC).toBe(`${demo.url}/purchaseorderview/edit/1#tandem-field=amount`);
    await desktop
      .getByRole('region', { name: 'Threads on pages' })
      .getByRole('link', { name: 'Open the page at “Supplier”' })
      .click();
    await expect.poll(() => opened.at(-1), SYNC).toBe(`${demo.url}/purchaseorderview/edit/1#tandem-field=supplier`);
    // And one click joins the page's room (made now, on first use): the pre-join screen for it.
    await desktop
      .getByRole('region', { name: 'On pages now' })
      .getByRole('button', { name: 'Join the room of Purchase order PO-1001' })
      .click();
    await desktop.getByLabel('Your camera preview').waitFor(SYNC);
    await desktop.getByRole('button', { name: 'Cancel', exact: true }).click();
    await desktop.getByRole('button', { name: 'Pages', exact: true }).click();
    await thread.click();
    await desktop.getByText('Is Acme Tools GmbH the right legal entity?').waitFor(SYNC);
    await desktop
      .getByText(/#tandem-field=supplier/)
      .first()
      .waitFor(SYNC);
    // Grace answers there; Ada's open thread on the page shows it at once.
    await desktop.getByLabel('Message', { exact: true }).fill('Yes, Acme Tools GmbH of Stuttgart.');
    await desktop.getByRole('button', { name: 'Send', exact: true }).click();
    await panel.getByText('Yes, Acme Tools GmbH of Stuttgart.').waitFor(SYNC);
    expect(await panel.getByText('Grace Demo').count()).toBeGreaterThan(0);
    await shot(adaPage, 'page-thread-desktop-reply');
  });
  it('Ada asks for an expert in Customs from the page: Grace’s desktop rings, she answers, and both meet in the page’s room with video', async () => {
    const [graceDesktop, adaDesktop] = [world.desktops[0].page, world.desktops[1].page];
    // Grace lists her skill in Settings.
    await graceDesktop.getByRole('button', { name: 'Settings', exact: true }).click();
    const skills = graceDesktop.getByRole('region', { name: 'My skills' });
    await skills.getByLabel('Add a skill').fill('Customs');
    await skills.getByRole('button', { name: 'Add', exact: true }).click();
    await skills.getByRole('list', { name: 'My skills' }).getByText('Customs').waitFor(SYNC);

    // Ada asks from the purchase order.
    await adaPage.locator(SDK).getByRole('button', { name: 'Ask an expert' }).click();
    const ask = adaPage.getByRole('dialog', { name: 'Ask an expert' });
    await expect
      .poll(() => ask.getByLabel('Skill').locator('option').allTextContents(), SYNC)
      .toEqual(['Customs (1 available)']);
    await ask.getByLabel('What do you need?').fill('HS code for the pumps?');
    await ask.getByRole('button', { name: 'Ask', exact: true }).click();
    await adaPage.locator(SDK).getByRole('status').getByText('Ringing Grace Demo…').waitFor(SYNC);

    // Grace's desktop rings: a notification and the ask with Answer and Decline.
    const ringing = graceDesktop.getByRole('alertdialog', { name: 'Ada Demo asks for help with Customs' });
    await ringing.waitFor(SYNC);
    await ringing.getByText('On “Purchase order PO-1001”: “HS code for the pumps?”').waitFor();
    await expect
      .poll(() => world.desktops[0].side.notifications.shown.map((n) => n.title), SYNC)
      .toContain('Ada Demo asks for help with Customs');
    expect((await accessibilityViolations(graceDesktop)).join('\n')).toBe('');
    await shot(graceDesktop, 'expert-ringing');
    await ringing.getByRole('button', { name: 'Answer' }).click();
    await joinFromPreview(graceDesktop);

    // The page says who is coming and links the room; Ada's desktop offers it too.
    await adaPage
      .locator(SDK)
      .getByRole('status')
      .getByText('Grace Demo answered and is joining this page’s room.')
      .waitFor(SYNC);
    expect(await adaPage.locator(SDK).getByRole('link', { name: 'Join in the app' }).getAttribute('href')).toMatch(
      /^tandem:\/\/join\//,
    );
    await shot(adaPage, 'page-expert-answered');
    const answered = adaDesktop.getByRole('dialog', { name: 'Grace Demo answered your question about Customs' });
    await answered.getByRole('button', { name: 'Join the room' }).click();
    await joinFromPreview(adaDesktop);

    // Both in the page's room, each seeing the other's camera.
    for (const page of [graceDesktop, adaDesktop])
      await expect.poll(() => framesInASecond(page, 'remote', 'camera'), MEDIA).toBeGreaterThan(5);
    await shot(adaDesktop, 'expert-call');
  });
});
