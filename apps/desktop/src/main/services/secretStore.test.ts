import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempFolder } from '../db/testing.ts';
import { fakeKeyStoreCipher } from '../platform/headless.ts';
import { encryptedFileSecretStore, memorySecretStore } from './secretStore.ts';

const tempDir = useTempFolder('tandem-secrets-');

describe('secret stores (the OS key store replaced by a fake AES cipher)', () => {
  it('writes only ciphertext, reads it back in a new process with the same key, and deletes', async () => {
    const file = path.join(tempDir(), 'secrets.bin');
    const key = crypto.randomBytes(32);
    await encryptedFileSecretStore(file, fakeKeyStoreCipher(key)).set('tokens', 'very-secret-refresh-token');
    expect(fs.readFileSync(file, 'latin1')).not.toContain('very-secret-refresh-token');

    const again = encryptedFileSecretStore(file, fakeKeyStoreCipher(key));
    expect(await again.get('tokens')).toBe('very-secret-refresh-token');
    await again.delete('tokens');
    expect(await again.get('tokens')).toBeNull();
  });

  it('treats what another key sealed as absent', async () => {
    const file = path.join(tempDir(), 'secrets.bin');
    await encryptedFileSecretStore(file, fakeKeyStoreCipher(crypto.randomBytes(32))).set('tokens', 'x');
    expect(await encryptedFileSecretStore(file, fakeKeyStoreCipher(crypto.randomBytes(32))).get('tokens')).toBeNull();
  });

  it('keeps secrets in memory only where there is no key store', async () => {
    const store = memorySecretStore();
    expect(store.persistent).toBe(false);
    await store.set('tokens', 't');
    expect(await store.get('tokens')).toBe('t');
    expect(fs.readdirSync(tempDir())).toEqual([]);
  });
});
