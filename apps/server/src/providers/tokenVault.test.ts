import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenVault, inMemoryCredentialStore, parseVaultKeyring, type CredentialKey } from './tokenVault.ts';

const acme: CredentialKey = { orgId: 'acme', provider: 'microsoft' };
const creds = { kind: 'oauth', refreshToken: 'refresh-secret-123', scope: 'Calendars.Read' } as const;
const keySpec = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('TokenVault', () => {
  it('stores only ciphertext and reads the credentials back', async () => {
    const store = inMemoryCredentialStore();
    const vault = createTokenVault(store, parseVaultKeyring(keySpec('k1')));
    await vault.put(acme, creds);
    const sealed = await store.get(acme);
    expect(sealed?.keyId).toBe('k1');
    expect(JSON.stringify(sealed)).not.toContain('refresh-secret-123');
    expect(await vault.get(acme)).toEqual(creds);
  });

  it('refuses to open a value moved to another organisation or provider', async () => {
    const store = inMemoryCredentialStore();
    const vault = createTokenVault(store, parseVaultKeyring(keySpec('k1')));
    await vault.put(acme, creds);
    const sealed = await store.get(acme);
    if (sealed === undefined) throw new Error('not stored');
    await store.put({ orgId: 'evil', provider: 'microsoft' }, sealed);
    await store.put({ ...acme, userId: 'u1' }, sealed);
    await expect(vault.get({ orgId: 'evil', provider: 'microsoft' })).rejects.toThrow();
    await expect(vault.get({ ...acme, userId: 'u1' })).rejects.toThrow();
  });

  it('opens values sealed with a previous key and reseals them with the current one', async () => {
    const store = inMemoryCredentialStore();
    const old = keySpec('k1');
    await createTokenVault(store, parseVaultKeyring(old)).put(acme, creds);
    const current = keySpec('k2');
    const rotated = createTokenVault(store, parseVaultKeyring(`${current},${old}`));
    expect(await rotated.get(acme)).toEqual(creds);
    expect((await store.get(acme))?.keyId).toBe('k2');
    // Once resealed, the old key can be dropped from the keyring.
    expect(await createTokenVault(store, parseVaultKeyring(current)).get(acme)).toEqual(creds);
  });

  it('fails loudly for a value sealed with a key no longer configured', async () => {
    const store = inMemoryCredentialStore();
    await createTokenVault(store, parseVaultKeyring(keySpec('k1'))).put(acme, creds);
    await expect(createTokenVault(store, parseVaultKeyring(keySpec('k2'))).get(acme)).rejects.toThrow(
      /unknown vault key "k1"/,
    );
  });

  it('revoke deletes the credentials', async () => {
    const store = inMemoryCredentialStore();
    const vault = createTokenVault(store, parseVaultKeyring(keySpec('k1')));
    await vault.put(acme, creds);
    expect(await vault.revoke(acme)).toBe(true);
    expect(store.size()).toBe(0);
    expect(await vault.get(acme)).toBeUndefined();
    expect(await vault.revoke(acme)).toBe(false);
  });

  it.each(['', 'k1', 'k1:c2hvcnQ=', `:${randomBytes(32).toString('base64')}`])(
    'rejects the keyring spec %j',
    (spec) => {
      expect(() => parseVaultKeyring(spec)).toThrow();
    },
  );
});
