import crypto from 'node:crypto';
import type { AuditPage, CreatedScimToken, ScimTokenList } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { desktopWorld, twoPeople } from '../testing/realServer.ts';

const world = desktopWorld(inject('livekit'), 'audit');
beforeEach(() => world.start());
afterEach(() => world.close());

const signedIn = async (email: string) => world.ipc(await world.signedIn(crypto.randomUUID(), email));

describe('audit log and SCIM tokens through IPC, against the real coordination server', () => {
  it('an owner makes and revokes a provisioning token, pages the log with filters and exports it as a file', async () => {
    const { alice, bob } = await twoPeople(world.server.url);
    const call = await signedIn(alice.user.email);

    const created = await call('scim:createToken', { params: {}, body: { label: 'Entra ID' } });
    expect(created).toMatchObject({ ok: true, result: { token: { label: 'Entra ID' } } });
    if (!created.ok) return;
    const { token, secret, baseUrl } = created.result as CreatedScimToken;
    expect(baseUrl).toBe(`${world.server.url}/scim/v2`);
    // The secret works against the SCIM endpoint; the list never shows it again.
    const users = await fetch(`${baseUrl}/Users`, { headers: { authorization: `Bearer ${secret}` } });
    expect(users.status).toBe(200);
    const listed = await call('scim:tokens', { params: {}, body: {} });
    expect(listed).toMatchObject({ ok: true });
    if (!listed.ok) return;
    expect((listed.result as ScimTokenList).tokens.map((t) => t.id)).toEqual([token.id]);
    expect(JSON.stringify(listed.result)).not.toContain(secret);
    expect(await call('scim:revokeToken', { params: { tokenId: token.id }, body: {} })).toMatchObject({ ok: true });

    const page = await call('audit:list', { params: {}, body: {}, query: { action: 'scim.token_created', limit: 1 } });
    expect(page).toMatchObject({ ok: true });
    if (!page.ok) return;
    expect((page.result as AuditPage).entries.map((e) => [e.action, e.actor.id])).toEqual([
      ['scim.token_created', alice.user.id],
    ]);
    expect(await call('audit:list', { params: {}, body: {}, query: { limit: 1000 } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });

    const csv = await call('audit:export', { filter: { target: token.id }, format: 'csv' });
    expect(csv).toMatchObject({ ok: true, result: { mimeType: expect.stringMatching(/^text\/csv/) } });
    if (!csv.ok) return;
    const file = csv.result as { filename: string; content: string };
    expect(file.filename).toMatch(/^audit-.*\.csv$/);
    const lines = file.content.trimEnd().split('\r\n');
    expect(lines.map((l) => l.split(',')[1])).toEqual(['action', 'scim.token_revoked', 'scim.token_created']);

    // A member is refused both, with the server's code.
    const member = await signedIn(bob.user.email);
    expect(await member('audit:list', { params: {}, body: {}, query: {} })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await member('audit:export', { filter: {}, format: 'json' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
