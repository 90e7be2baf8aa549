import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createProviderRegistry, type ProvidersConfig } from './registry.ts';
import { recordingRuntime, startFakeApi, type FakeApi } from './testing/fakeApi.ts';
import { createTokenVault, inMemoryCredentialStore, parseVaultKeyring } from './tokenVault.ts';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const zoomMeeting = {
  id: 85746065432,
  topic: 'Partner sync',
  start_time: '2026-11-27T14:00:00Z',
  duration: 30,
  join_url: 'https://acme.zoom.us/j/85746065432?pwd=abc',
  password: 'a1B2c3',
  pstn_password: '123456',
  settings: { global_dial_in_numbers: [] },
};

async function setUp(revokeStatus = 200) {
  api = await startFakeApi((r) => {
    if (r.path === '/google/revoke') return revokeStatus === 200 ? { json: {} } : { status: revokeStatus };
    if (r.path === '/calendar/v3/calendars/primary/events') {
      return {
        json: {
          items: [
            {
              id: 'e1',
              status: 'confirmed',
              summary: 'Customer call',
              start: { dateTime: '2026-11-27T09:00:00Z' },
              end: { dateTime: '2026-11-27T09:30:00Z' },
              description: 'Join Zoom Meeting\nhttps://acme.zoom.us/j/85746065432?pwd=abc\nMeeting ID: 857 4606 5432',
            },
          ],
        },
      };
    }
    if (r.path === '/organizations/oauth2/v2.0/token' || r.path === '/google/token') {
      return { json: { token_type: 'Bearer', expires_in: 3599, access_token: 'at', refresh_token: 'rt' } };
    }
    if (r.path === '/oauth/token') return { json: { token_type: 'bearer', expires_in: 3599, access_token: 'zoom-at' } };
    if (r.path === '/v2/meetings/85746065432') return { json: zoomMeeting };
    if (r.method === 'POST' && r.path === '/v2/users/me/meetings') return { status: 201, json: zoomMeeting };
    return { status: 404, json: { error: { code: 'NotFound' } } };
  });
  const config: ProvidersConfig = {
    microsoft: { clientId: 'ms-app', clientSecret: 'ms-secret', loginBaseUrl: api.url, graphBaseUrl: api.url },
    google: {
      clientId: 'g-app',
      clientSecret: 'g-secret',
      authorizeUrl: `${api.url}/google/auth`,
      tokenUrl: `${api.url}/google/token`,
      revokeUrl: `${api.url}/google/revoke`,
      apiBaseUrl: api.url,
    },
    zoom: { tokenUrl: `${api.url}/oauth/token`, apiBaseUrl: api.url },
  };
  const store = inMemoryCredentialStore();
  const vault = createTokenVault(store, parseVaultKeyring(`k1:${randomBytes(32).toString('base64')}`));
  return { api, store, registry: createProviderRegistry(config, vault, recordingRuntime()) };
}

describe('provider registry: fake provider APIs (local HTTP, documented wire format)', () => {
  it('offers consent URLs asking for refresh tokens', async () => {
    const { api, registry } = await setUp();
    const ms = new URL(registry.consentUrl('microsoft', 'https://tandem.test/cb', 's1', 'c1'));
    expect(`${ms.origin}${ms.pathname}`).toBe(`${api.url}/organizations/oauth2/v2.0/authorize`);
    expect(ms.searchParams.get('scope')).toContain('offline_access');
    const google = new URL(registry.consentUrl('google', 'https://tandem.test/cb', 's2', 'c2'));
    expect(google.searchParams.get('access_type')).toBe('offline');
    expect(google.searchParams.get('prompt')).toBe('consent');
    expect(google.searchParams.get('code_challenge')).toBe('c2');
    expect(google.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('connects, serves an adapter, and after revoke refuses without calling the provider', async () => {
    const { api, store, registry } = await setUp();
    const key = { orgId: 'acme', provider: 'zoom' } as const;
    await registry.connectZoom(key, {
      accountId: 'acc',
      clientId: 'cid',
      clientSecret: 'cs',
      webhookSecretToken: 'wh',
    });
    await expect(registry.provider(key).getMeeting('85746065432')).resolves.toMatchObject({ phonePasscode: '123456' });
    expect(await registry.zoomWebhookSecret('acme')).toBe('wh');
    expect(await registry.zoomWebhookSecret('other-org')).toBeUndefined();

    expect(await registry.revoke(key)).toBe(true);
    expect(store.size()).toBe(0);
    expect(await registry.zoomWebhookSecret('acme')).toBeUndefined();
    const before = api.requests.length;
    await expect(registry.provider(key).getMeeting('85746065432')).rejects.toMatchObject({
      provider: 'zoom',
      code: 'unauthorized',
    });
    expect(api.requests.length).toBe(before);
  });

  it('stores an OAuth consent under the user it belongs to', async () => {
    const { store, registry } = await setUp();
    await registry.completeConsent(
      { orgId: 'acme', provider: 'google', userId: 'grace' },
      'code',
      'https://tandem.test/cb',
      'verifier',
    );
    expect(await store.get({ orgId: 'acme', provider: 'google', userId: 'grace' })).toBeDefined();
    expect(await store.get({ orgId: 'acme', provider: 'google' })).toBeUndefined();
  });

  it('creates a linked meeting as the shared LinkedMeeting record', async () => {
    const { registry } = await setUp();
    const key = { orgId: 'acme', provider: 'zoom' } as const;
    await registry.connectZoom(key, { accountId: 'acc', clientId: 'cid', clientSecret: 'cs' });
    const created = await registry.createLinkedMeeting(key, {
      title: 'Partner sync',
      startsAt: new Date('2026-11-27T14:00:00Z'),
      endsAt: new Date('2026-11-27T14:30:00Z'),
      requestId: 'r1',
    });
    expect(created).toEqual({
      provider: 'zoom',
      externalId: '85746065432',
      linked: expect.objectContaining({
        provider: 'zoom',
        host: 'acme.zoom.us',
        webUrl: 'https://acme.zoom.us/j/85746065432?pwd=abc',
        pwd: 'abc',
        meetingId: '85746065432',
        passcode: 'a1B2c3',
        phonePasscode: '123456',
      }),
    });
  });

  it('imports a calendar with linked meetings detected', async () => {
    const { registry } = await setUp();
    const key = { orgId: 'acme', provider: 'google', userId: 'grace' } as const;
    await registry.completeConsent(key, 'code', 'https://tandem.test/cb', 'verifier');
    const [entry] = await registry.calendar(key, {
      start: new Date('2026-11-26T00:00:00Z'),
      end: new Date('2026-12-03T00:00:00Z'),
    });
    expect(entry).toMatchObject({
      externalId: 'e1',
      linked: { provider: 'zoom', meetingId: '85746065432', host: 'acme.zoom.us' },
    });
  });

  it.each([200, 503])('revokes a Google grant at Google (answer %i) and deletes it here', async (status) => {
    const { api, store, registry } = await setUp(status);
    const key = { orgId: 'acme', provider: 'google', userId: 'grace' } as const;
    await registry.completeConsent(key, 'code', 'https://tandem.test/cb', 'verifier');
    expect(await registry.revoke(key)).toBe(true);
    expect(store.size()).toBe(0);
    const revocation = api.requests.find((r) => r.path === '/google/revoke');
    expect(Object.fromEntries(new URLSearchParams(revocation?.body))).toEqual({ token: 'rt' });
  });

  it('answers unavailable for a provider the deployment did not configure', () => {
    const vault = createTokenVault(
      inMemoryCredentialStore(),
      parseVaultKeyring(`k1:${randomBytes(32).toString('base64')}`),
    );
    const registry = createProviderRegistry({}, vault, recordingRuntime());
    expect(() => registry.consentUrl('google', 'https://tandem.test/cb', 's', 'c')).toThrow(/not configured/);
    expect(() => registry.provider({ orgId: 'acme', provider: 'zoom' })).toThrow(/not configured/);
  });
});
