import { generateKeyPairSync } from 'node:crypto';
import type { SecretStore } from './secretStore.ts';

/** A device's end-to-end encryption key pair, as main hands it to its own renderer: base64 DER. */
export type DeviceKeyPair = {
  /** PKCS#8; the renderer imports it as a non-extractable CryptoKey at once. */
  readonly privateKey: string;
  /** SubjectPublicKeyInfo; what the server registers. */
  readonly publicKey: string;
};

const SECRET_PREFIX = 'e2ee-device-key:';

/**
 * Each signed-in person's ECDH P-256 device key for end-to-end encrypted meetings (docs/e2ee.md),
 * made the first time it is asked for and kept in the SecretStore: sealed by the OS key store
 * (safeStorage) on disk, or in memory only where there is none (then a restart makes a new device
 * key, and the next call distributes the meeting key to it). Never written in plain text.
 */
export function createDeviceKeys(secrets: SecretStore) {
  const pending = new Map<string, Promise<DeviceKeyPair>>();

  async function load(userId: string): Promise<DeviceKeyPair> {
    const name = `${SECRET_PREFIX}${userId}`;
    const stored = await secrets.get(name);
    if (stored !== null) return JSON.parse(stored) as DeviceKeyPair;
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const made: DeviceKeyPair = {
      privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    };
    await secrets.set(name, JSON.stringify(made));
    return made;
  }

  return {
    /** The person's device key pair; two calls at once make one key. */
    get(userId: string): Promise<DeviceKeyPair> {
      let p = pending.get(userId);
      if (p === undefined) {
        p = load(userId);
        pending.set(userId, p);
        p.catch(() => pending.delete(userId));
      }
      return p;
    },
  };
}
