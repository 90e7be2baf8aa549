import crypto from 'node:crypto';
import type { SecretCipher } from '../services/secretStore.ts';
import type { Platform } from './types.ts';

export type HeadlessPlatform = Platform & { readonly openedLinks: readonly string[] };

/**
 * Main's platform where there is no Electron (tests, the browser harness): links are recorded
 * instead of opened, there are no capturable windows (the browser's getDisplayMedia picks the
 * screen), no overlay windows, and the key store is whatever the caller passes, none by default.
 */
export function headlessPlatform(options: { readonly secretCipher?: SecretCipher | null } = {}): HeadlessPlatform {
  const openedLinks: string[] = [];
  return {
    secretCipher: options.secretCipher ?? null,
    openedLinks,
    openExternal: async (url) => void openedLinks.push(url),
    screenSources: async () => [],
    overlays: null,
  };
}

/**
 * A stand-in for the OS key store (Electron's safeStorage) in tests and the harness: AES-256-GCM
 * under a key held by the caller, so a restarted process with the same key reads its tokens back.
 */
export function fakeKeyStoreCipher(key: Buffer): SecretCipher {
  if (key.length !== 32) throw new Error('fakeKeyStoreCipher needs a 32-byte key');
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
