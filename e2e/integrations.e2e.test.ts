import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { ConversationSchema, WebhookEventSchema, type WebhookEvent } from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA] = DEMO_PEOPLE;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** A receiver as an integrator writes it: Stripe-style `t=…,v1=…` checked against the secret it was given. */
function startReceiver() {
  const events: WebhookEvent[] = [];
  let secret = '';
  let refused = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = String(req.headers['tandem-signature'] ?? '');
      const fields = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
      const expected = createHmac('sha256', secret)
        .update(`${fields.get('t') ?? ''}.${body}`)
        .digest();
      const given = Buffer.from(fields.get('v1') ?? '', 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        refused += 1;
        res.writeHead(400).end();
        return;
      }
      events.push(WebhookEventSchema.parse(JSON.parse(body)));
      res.writeHead(204).end();
    });
  });
  return {
    events,
    refused: () => refused,
    setSecret: (value: string) => void (secret = value),
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/tandem`),
        ),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Settings → Integrations: Ada (the demo organisation's owner) makes an API key and a webhook in
 * the app, then an integration uses the key over HTTP and the webhook's signed delivery reaches a
 * local receiver; the delivery log shows it; a revoked key is refused.
 */
describe('integrations: an API key and a webhook made in the app, used over HTTP', () => {
  let world: World<readonly ['ada']>;
  let server: CoordinationServer;
  let ada: Desktop;
  const receiver = startReceiver();
  let receiverUrl = '';
  let key = '';

  beforeAll(async () => {
    receiverUrl = await receiver.listen();
    // The receiver is on loopback: the operator's setting for tests admits it.
    world = await startWorld(livekit, ['ada'], [], { WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_BASE_MS: '200' });
    ({
      server,
      desktops: [ada],
    } = world);
  });
  afterAll(async () => {
    await world?.close();
    await receiver.close();
  });

  it('sign-in refuses a server over plain http that is not this computer, and says why (issue 13 item 10)', async () => {
    const { page } = ada;
    await page.getByLabel('Server', { exact: true }).fill('http://tandem.example.com');
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill('not sent anywhere');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/Plain http is not secure: use https:\/\/tandem\.example\.com/);
  });

  it('Ada creates an API key with scopes; it is shown once, then listed by its prefix', async () => {
    const { page } = ada;
    await signIn(page, server.url, ADA);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Integrations' }).click();
    const card = page.getByRole('region', { name: 'Integrations' });
    await card.getByRole('heading', { name: 'API keys' }).waitFor();
    await card.getByText('No API keys yet.').waitFor();
    const form = card.getByRole('form', { name: 'New API key' });
    await form.getByLabel('Name').fill('Reporting');
    await form.getByRole('checkbox', { name: /meetings:read/ }).check();
    await form.getByRole('checkbox', { name: /chat:write/ }).check();
    await form.getByRole('button', { name: 'Create API key' }).click();
    const shown = card.getByLabel('Your new API key');
    await shown.waitFor();
    key = await shown.inputValue();
    expect(key).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    const row = card.getByRole('list', { name: 'API keys' }).getByRole('listitem', { name: 'Reporting' });
    await expect.poll(() => row.textContent()).toContain(`${key.slice(0, 12)}…`);
    await expect.poll(() => row.textContent()).toContain('meetings:read, chat:write');
    await card.getByRole('heading', { name: 'API keys' }).scrollIntoViewIfNeeded();
    await shot(page, 'settings-integrations-key');
    expect(await accessibilityViolations(page)).toEqual([]);
    await card.getByRole('button', { name: 'Done' }).click();
    expect(await card.getByLabel('Your new API key').count()).toBe(0);
  });

  it('Ada adds a webhook for new messages; its signing secret is shown once', async () => {
    const { page } = ada;
    const card = page.getByRole('region', { name: 'Integrations' });
    const form = card.getByRole('form', { name: 'New webhook' });
    // A target inside a private network is refused with the server's reason, even here.
    await form.getByLabel('URL').fill('http://169.254.169.254/latest/meta-data/');
    await form.getByRole('checkbox', { name: /message\.created/ }).check();
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/link-local address/);
    await form.getByLabel('URL').fill(receiverUrl);
    await form.getByLabel('Description (optional)').fill('Build notifications');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    const shown = card.getByLabel('Signing secret of the new webhook');
    await shown.waitFor();
    const secret = await shown.inputValue();
    expect(secret).toMatch(/^whsec_/);
    receiver.setSecret(secret);
    await card.getByRole('list', { name: 'Webhooks' }).getByRole('listitem', { name: receiverUrl }).waitFor();
    await card.getByRole('heading', { name: 'Webhooks' }).scrollIntoViewIfNeeded();
    await shot(page, 'settings-integrations-webhook');
    expect(await accessibilityViolations(page)).toEqual([]);
    await card.getByRole('button', { name: 'Done' }).click();
  });

  it('the key posts a message over HTTP; the webhook delivers it signed; the log in the app shows it', async () => {
    const call = async (method: string, route: string, body: unknown) => {
      const response = await fetch(`${server.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(300);
      return (await response.json()) as unknown;
    };
    const channel = ConversationSchema.parse(await call('POST', '/conversations', { name: 'builds' }));
    await call('POST', `/conversations/${channel.id}/messages`, { clientId: randomUUID(), body: 'Build 42 passed' });
    await expect.poll(() => receiver.events.length, { timeout: 10_000 }).toBe(1);
    expect(receiver.events[0]).toMatchObject({
      type: 'message.created',
      data: { conversation: { id: channel.id, name: 'builds' }, message: { body: 'Build 42 passed' } },
    });
    expect(receiver.refused()).toBe(0);

    const { page } = ada;
    const row = page
      .getByRole('region', { name: 'Integrations' })
      .getByRole('list', { name: 'Webhooks' })
      .getByRole('listitem', { name: receiverUrl });
    await row.getByRole('button', { name: 'Delivery log' }).click();
    const log = row.getByRole('list', { name: `Delivery log of ${receiverUrl}` });
    await expect.poll(() => log.textContent()).toContain('message.created · attempt 1 · Delivered · HTTP 204');
    await log.scrollIntoViewIfNeeded();
    await shot(page, 'settings-integrations-log');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('Ada revokes the key; the integration is refused from then on', async () => {
    const { page } = ada;
    const card = page.getByRole('region', { name: 'Integrations' });
    await card.getByRole('button', { name: 'Revoke API key Reporting' }).click();
    const row = card.getByRole('list', { name: 'API keys' }).getByRole('listitem', { name: 'Reporting' });
    await expect.poll(() => row.textContent()).toContain('Revoked');
    const refused = await fetch(`${server.url}/meetings`, { headers: { authorization: `Bearer ${key}` } });
    expect(refused.status).toBe(401);
  });
});
