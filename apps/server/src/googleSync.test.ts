import { randomBytes } from 'node:crypto';
import type { AuthSession } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './providers/testing/fakeProviders.ts';
import { connectWs, signUp, startTestServer, type TestServer, type WsClient } from './testSupport.ts';

const livekit = inject('livekit');
const APP_REDIRECT = 'http://127.0.0.1:53682/providers/callback';
const SYNC = { timeout: 10_000, interval: 100 };

/**
 * A connected Google calendar kept in sync (issue 22): connecting opens a push channel
 * (events.watch) and takes a full list's sync token; each push (its X-Goog-Channel-Token checked)
 * lists what changed since, keeps the new token and tells the person's apps; a forgotten token
 * (410) falls back to a full list; a channel about to expire is replaced. Google is a local fake
 * speaking the Calendar API's documented wire format, which also sends the pushes.
 */
describe('Google Calendar push channels and sync tokens (Google a local fake speaking its wire format)', () => {
  let fake: FakeProviders;
  let server: TestServer;
  let ada: AuthSession;
  let ws: WsClient;
  const lists = () =>
    fake.requests.filter((r) => r.method === 'GET' && r.path === '/calendar/v3/calendars/primary/events');
  const changedCount = () => ws.received.filter((m) => m.type === 'calendar.changed').length;

  beforeAll(async () => {
    fake = await startFakeProviders();
    server = await startTestServer(livekit, {
      linked: {
        tokenKeys: `k1:${randomBytes(32).toString('base64')}`,
        providers: {
          google: {
            clientId: 'g-app',
            clientSecret: 'g-secret',
            authorizeUrl: `${fake.url}/google/auth`,
            tokenUrl: `${fake.url}/google/token`,
            revokeUrl: `${fake.url}/google/revoke`,
            apiBaseUrl: fake.url,
          },
        },
      },
    });
    ada = await signUp(server.api, 'gsync-ada');
  });
  afterAll(async () => {
    ws?.close();
    await server?.close();
    await fake?.close();
  });

  it('opens a push channel on connecting and starts from a full list', async () => {
    fake.changeGoogleEvent({ id: 'before-1' });
    // Google grants this channel an hour only (less than asked): the renewal sweep will find it due.
    fake.grantGoogleChannelsFor(3600_000);
    const { url } = await server.api.ok('providerConsent', {
      token: ada.tokens.accessToken,
      body: { provider: 'google', scope: 'user', redirectUri: APP_REDIRECT },
    });
    const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '');
    await server.api.ok('completeConsent', {
      token: ada.tokens.accessToken,
      body: { code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' },
    });
    const watch = fake.requests.find((r) => r.path === '/calendar/v3/calendars/primary/events/watch');
    const asked = JSON.parse(watch?.body ?? '{}') as Record<string, unknown>;
    expect(asked).toMatchObject({ type: 'web_hook', address: `${server.url}/webhooks/google` });
    expect(String(asked.token).length).toBeGreaterThanOrEqual(32);
    expect(fake.googleChannels.size).toBe(1);
    // The first list is a full one from now on: it gives the position the channel's pushes go on from.
    expect(lists()).toHaveLength(1);
    expect(lists()[0]?.query.get('syncToken')).toBeNull();
    expect(lists()[0]?.query.get('timeMin')).not.toBeNull();
    ws = await connectWs(server.url, ada.tokens.accessToken);
  });

  it('a push lists the changes since the stored sync token and tells the apps; a forged token is ignored', async () => {
    fake.changeGoogleEvent({ id: 'moved-1' });
    expect(await fake.notifyGoogleChannels()).toEqual([200]);
    await expect.poll(changedCount, SYNC).toBe(1);
    expect(ws.received.find((m) => m.type === 'calendar.changed')).toEqual({
      type: 'calendar.changed',
      provider: 'google',
    });
    const incremental = lists().at(-1);
    expect(incremental?.query.get('syncToken')).toMatch(/^sync-0-1$/);
    expect(incremental?.query.get('timeMin')).toBeNull();

    // The next push goes on from the token the last list gave, and nothing changed means nothing told.
    await fake.notifyGoogleChannels();
    await expect.poll(() => lists().at(-1)?.query.get('syncToken'), SYNC).toBe('sync-0-2');
    expect(changedCount()).toBe(1);

    // Someone who knows the channel's id but not its token: acknowledged, nothing listed, nothing told.
    const [channelId, channel] = [...fake.googleChannels][0] ?? [];
    const before = lists().length;
    fake.changeGoogleEvent({ id: 'forged' });
    const forged = await fetch(`${server.url}/webhooks/google`, {
      method: 'POST',
      headers: {
        'x-goog-channel-id': channelId ?? '',
        'x-goog-channel-token': 'x'.repeat(43),
        'x-goog-resource-id': channel?.resourceId ?? '',
        'x-goog-resource-state': 'exists',
      },
    });
    expect(forged.status).toBe(200);
    expect(lists().length).toBe(before);
    expect(changedCount()).toBe(1);
  });

  it('a sync token Google forgot (410 Gone) falls back to a full list', async () => {
    fake.forgetGoogleSyncTokens();
    fake.changeGoogleEvent({ id: 'cancelled-1', status: 'cancelled' });
    await fake.notifyGoogleChannels();
    await expect.poll(changedCount, SYNC).toBe(2);
    const [gone, full] = lists().slice(-2);
    // The last list (the push with nothing new) gave sync-0-2; Google has forgotten it.
    expect(gone?.query.get('syncToken')).toBe('sync-0-2');
    expect(full?.query.get('syncToken')).toBeNull();
  });

  it('replaces a channel about to expire (the sweep at start), stopping the old one; pushes reach the new one', async () => {
    const [oldId, oldChannel] = [...fake.googleChannels][0] ?? [];
    fake.grantGoogleChannelsFor(null);
    ws.close();
    server = await server.restart();
    const watches = () => fake.requests.filter((r) => r.path === '/calendar/v3/calendars/primary/events/watch');
    await expect.poll(() => fake.requests.some((r) => r.path === '/calendar/v3/channels/stop'), SYNC).toBe(true);
    expect(watches()).toHaveLength(2);
    expect(JSON.parse(watches()[1]?.body ?? '{}')).toMatchObject({ address: `${server.url}/webhooks/google` });
    const stop = fake.requests.find((r) => r.path === '/calendar/v3/channels/stop');
    expect(JSON.parse(stop?.body ?? '{}')).toEqual({ id: oldId, resourceId: oldChannel?.resourceId });
    expect([...fake.googleChannels.keys()]).not.toContain(oldId);
    expect(fake.googleChannels.size).toBe(1);

    ws = await connectWs(server.url, ada.tokens.accessToken);
    fake.changeGoogleEvent({ id: 'after-renewal' });
    expect(await fake.notifyGoogleChannels()).toEqual([200]);
    await expect.poll(changedCount, SYNC).toBe(1);
  });
});
