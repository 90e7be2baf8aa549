import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { answeringAgent, freeUdpPort, screenshotsDir, startSip, type RunningSip } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { joinByCode, ownerCreatesMeeting, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const [ADA] = DEMO_PEOPLE;
const SYNC = { timeout: 30_000, interval: 250 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * Phone dial-in in the app, on a server that takes calls (livekit-server on Redis with
 * livekit-sip beside it, as `npm start` would run them): Ada, the demo organisation's owner, sets
 * its dial-in number in Settings → Phone, and a meeting's invitation lists it with the meeting's PIN.
 */
describe('dial-in details in the app (real server, livekit-sip, Chromium)', () => {
  let sip: RunningSip;
  let world: World<readonly ['ada']>;
  let server: CoordinationServer;
  let ada: Desktop;
  /** Where the server's outbound trunk sends calls: the phone the test answers with. */
  let phonePort: number;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-phone-'));

  beforeAll(async () => {
    sip = await startSip();
    phonePort = await freeUdpPort();
    world = await startWorld(sip.livekit, ['ada'], [], {
      PHONE_DIAL_IN: 'on',
      PHONE_ALLOWED_ADDRESSES: '127.0.0.1/32',
      SIP_OUTBOUND_ADDRESS: `127.0.0.1:${phonePort}`,
      SIP_OUTBOUND_NUMBER: '+442071230000',
      // The SIP address the host calls is an answering agent on loopback.
      PHONE_SIP_ALLOW_PRIVATE: '1',
    });
    ({
      server,
      desktops: [ada],
    } = world);
  });
  afterAll(async () => {
    await world?.close();
    await sip?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Ada adds the organisation’s dial-in number; a meeting’s invitation shows it with the meeting’s PIN', async () => {
    const { page } = ada;
    const meeting = await ownerCreatesMeeting(server.url, {
      title: 'Quarterly review',
      startsAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    });
    await signIn(page, server.url, ADA);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Phone' }).click();
    const card = page.getByRole('region', { name: 'Dial-in numbers' });
    await card.getByText('No numbers yet: nobody can call in.').waitFor(SYNC);
    await card.getByRole('button', { name: 'Add a number' }).click();
    // A number without its country code is refused before it is sent.
    await card.getByRole('textbox', { name: 'Number 1', exact: true }).fill('020 7123 0001');
    await card.getByRole('button', { name: 'Save' }).click();
    await card
      .getByRole('alert')
      .getByText(/needs its country code/)
      .waitFor();
    await card.getByRole('textbox', { name: 'Number 1', exact: true }).fill('+44 20 7123 0001');
    await card.getByLabel('Shown as').fill('United Kingdom');
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByRole('status').getByText('Dial-in numbers saved.').waitFor(SYNC);
    expect(await card.getByRole('textbox', { name: 'Number 1', exact: true }).inputValue()).toBe('+442071230001');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'settings-phone');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    const row = page.getByRole('region', { name: 'Upcoming meetings' }).locator('.meeting', { hasText: meeting.title });
    await row.getByRole('button', { name: `Options for ${meeting.title}` }).click();
    await page.getByRole('menuitem', { name: 'Invitation…' }).click();
    const dialog = page.getByRole('dialog', { name: `Invitation: ${meeting.title}` });
    const phone = dialog.getByRole('region', { name: 'Join by phone' });
    await phone.getByText('+44 207 123 0001').waitFor(SYNC);
    await phone.getByText('United Kingdom').waitFor();
    const pin = (await phone.locator('.dial-in-pin').textContent()) ?? '';
    expect(pin).toMatch(/^\d{3} \d{3} \d{3} #$/);
    // The text to paste says the same, and the same PIN as the server's own answer.
    const text = (await dialog.getByLabel('Invitation text').textContent()) ?? '';
    expect(text).toContain('Join by phone\n+44 207 123 0001 (United Kingdom)\n');
    expect(text).toContain(`PIN: ${pin}`);
    expect(text).toContain(meeting.webJoinUrl);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'dial-in-invitation');
  });

  it('in the call, a host calls a phone in (it answers and shows under its masked number), then a SIP address, and sees the audio bridge', async () => {
    const { page } = ada;
    const meeting = await ownerCreatesMeeting(server.url, { title: 'Call the road' });
    await page.keyboard.press('Escape');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    await joinByCode(page, meeting.joinCode);
    await page.getByRole('button', { name: 'Hands & host' }).click();
    const panel = page.getByRole('region', { name: 'Hands and host' });
    await panel.getByText('Off: the linked meeting does not hear this one.').waitFor(SYNC);
    const number = panel.getByRole('textbox', { name: 'Call a phone or SIP address into the meeting' });
    await number.fill('07700 900123');
    await panel.getByRole('button', { name: 'Call', exact: true }).click();
    await panel
      .getByRole('alert')
      .getByText('Type a number with its country code (+ then 8 to 15 digits) or a SIP address (sip:name@host).')
      .waitFor();

    const phone = await answeringAgent(dir, phonePort);
    try {
      await number.fill('+44 7700 900123');
      await panel.getByRole('button', { name: 'Call', exact: true }).click();
      await panel.getByText('Calling +44 •••• ••01 23: they join when they answer.').waitFor(SYNC);
      const controls = panel.getByRole('list', { name: 'Host controls' });
      await controls.getByText('+44 •••• ••01 23', { exact: true }).waitFor(SYNC);
      // The meeting is not linked: the bridge says why it cannot start.
      await panel.getByRole('button', { name: 'Start audio bridge' }).click();
      await panel
        .getByRole('alert')
        .getByText(/not linked to a Teams, Zoom or Meet meeting/)
        .waitFor(SYNC);
      expect(await accessibilityViolations(page)).toEqual([]);
      await shot(page, 'call-phone-controls');
      await controls.getByRole('button', { name: 'Remove +44 •••• ••01 23' }).click();
      expect(await phone.done).toBe(0);
    } finally {
      await phone.stop();
    }

    // The removed phone leaves the call.
    await panel
      .getByRole('list', { name: 'Host controls' })
      .getByText('+44 •••• ••01 23', { exact: true })
      .waitFor({ ...SYNC, state: 'detached' });
    // A desk phone by its SIP address, called straight (not through the trunk).
    const deskPort = await freeUdpPort();
    const desk = await answeringAgent(dir, deskPort);
    try {
      await number.fill(`sip:desk@127.0.0.1:${deskPort}`);
      await panel.getByRole('button', { name: 'Call', exact: true }).click();
      await panel.getByText('Calling de•••@127.0.0.1: they join when they answer.').waitFor(SYNC);
      const controls = panel.getByRole('list', { name: 'Host controls' });
      await controls.getByText('de•••@127.0.0.1', { exact: true }).waitFor(SYNC);
      await shot(page, 'call-sip-address');
      await controls.getByRole('button', { name: 'Remove de•••@127.0.0.1' }).click();
      expect(await desk.done).toBe(0);
    } finally {
      await desk.stop();
    }
  });
});
