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

async function setUp() {
  api = await startFakeApi((r) => {
    if (r.path === '/organizations/oauth2/v2.0/token' || r.path === '/google/token') {
      return { json: { token_type: 'Bearer', expires_in: 3599, access_token: 'at', refresh_token: 'rt' } };
    }
    if (r.path === '/oauth/token') return { json: { token_type: 'bearer', expires_in: 3599, access_token: 'zoom-at' } };
    if (r.path === '/v2/meetings/85746065432') return { json: zoomMeeting };
    return { status: 404, json: { error: { code: 'NotFound' } } };
  });
  const config: ProvidersConfig = {
    microsoft: { clientId: 'ms-app', clientSecret: 'ms-secret', loginBaseUrl: api.url, graphBaseUrl: api.url },
    google: {
      clientId: 'g-app',
      clientSecret: 'g-secret',
      authorizeUrl: `${api.url}/google/auth`,
      tokenUrl: `${api.url}/google/token`,
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
    const ms = new URL(registry.consentUrl('microsoft', 'https://tandem.test/cb', 's1'));
    expect(`${ms.origin}${ms.pathname}`).toBe(`${api.url}/organizations/oauth2/v2.0/authorize`);
    expect(ms.searchParams.get('scope')).toContain('offline_access');
    const google = new URL(registry.consentUrl('google', 'https://tandem.test/cb', 's2'));
    expect(google.searchParams.get('access_type')).toBe('offline');
    expect(google.searchParams.get('prompt')).toBe('consent');
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
    );
    expect(await store.get({ orgId: 'acme', provider: 'google', userId: 'grace' })).toBeDefined();
    expect(await store.get({ orgId: 'acme', provider: 'google' })).toBeUndefined();
  });

  it('answers unavailable for a provider the deployment did not configure', () => {
    const vault = createTokenVault(
      inMemoryCredentialStore(),
      parseVaultKeyring(`k1:${randomBytes(32).toString('base64')}`),
    );
    const registry = createProviderRegistry({}, vault, recordingRuntime());
    expect(() => registry.consentUrl('google', 'https://tandem.test/cb', 's')).toThrow(/not configured/);
    expect(() => registry.provider({ orgId: 'acme', provider: 'zoom' })).toThrow(/not configured/);
  });
});
