import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PASSWORD, desktopWorld, twoPeople } from '../testing/realServer.ts';

const world = desktopWorld(inject('livekit'), 'providers');
// Microsoft and Google are offered (their consent pages are never fetched here); Zoom is not.
beforeAll(() =>
  world.start({
    linked: {
      tokenKeys: `k1:${crypto.randomBytes(32).toString('base64')}`,
      providers: {
        microsoft: { clientId: 'ms-client', clientSecret: 'ms-secret' },
        google: { clientId: 'google-client', clientSecret: 'google-secret' },
      },
    },
  }),
);
afterAll(() => world.close());

async function desktopAs(name: string, email: string) {
  const d = await world.desktop(name, crypto.randomBytes(32));
  await d.core.services.auth.signIn(world.server.url, email, PASSWORD);
  return { ipc: world.ipc(d), opened: d.openedLinks };
}
const ipcAs = async (name: string, email: string) => (await desktopAs(name, email)).ipc;

describe('provider account channels, forwarded to the real coordination server', () => {
  it("lists what the server offers and starts an admitted consent with the app's loopback receiver as redirect; a foreign state is refused", async () => {
    const { alice } = await twoPeople(world.server.url);
    const { ipc, opened } = await desktopAs('alice', alice.user.email);

    expect(await ipc('providers:list', {})).toEqual({
      ok: true,
      result: {
        providers: [
          { provider: 'microsoft', offered: true },
          { provider: 'zoom', offered: false },
          { provider: 'google', offered: true },
        ],
        connections: [],
      },
    });

    const consent = await ipc('providers:consent', { provider: 'microsoft', scope: 'organisation' });
    if (!consent.ok) throw new Error(consent.error.message);
    const url = new URL((consent.result as { url: string }).url);
    expect(url.origin).toBe('https://login.microsoftonline.com');
    expect(url.searchParams.get('client_id')).toBe('ms-client');
    // The app's own loopback receiver (RFC 8252 §7.3), not a server callback anyone could complete.
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
    expect(`${redirect.protocol}//${redirect.hostname}${redirect.pathname}`).toBe(
      'http://127.0.0.1/providers/callback',
    );
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    // Main opened it in the system browser itself.
    expect(opened.at(-1)).toBe(url.toString());

    // A redirect carrying a state this person did not start (a forwarded link): the app hands it
    // to the server with its own session, the server refuses it, and the browser is told so.
    const forwarded = new URL(redirect);
    forwarded.searchParams.set('code', 'someone-elses-code');
    forwarded.searchParams.set('state', 'someone-elses-state');
    const answer = await fetch(forwarded);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('not connected');
    // One redirect per consent: the receiver is gone.
    await expect(fetch(forwarded)).rejects.toThrow();
    expect(await ipc('providers:list', {})).toMatchObject({ ok: true, result: { connections: [] } });
  });

  it("answers the server's refusals as machine-readable errors", async () => {
    const { alice, bob } = await twoPeople(world.server.url);
    const owner = await ipcAs('owner', alice.user.email);
    const member = await ipcAs('member', bob.user.email);

    expect(await member('providers:consent', { provider: 'google', scope: 'organisation' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await member('providers:consent', { provider: 'google', scope: 'user' })).toMatchObject({ ok: true });
    expect(await owner('providers:consent', { provider: 'zoom', scope: 'organisation' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(
      await owner('providers:connectZoom', { accountId: 'acc', clientId: 'id', clientSecret: 'secret' }),
    ).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await owner('providers:revoke', { provider: 'microsoft', scope: 'organisation' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
