import type { TandemClient } from '@tandem/shared';
import { exportPublicKey, fromBase64, importDevicePrivateKey, newDeviceKeyPair } from './crypto.ts';

/** This device's key for end-to-end encrypted meetings: the private half can never leave WebCrypto. */
export type DeviceKey = { readonly privateKey: CryptoKey; readonly publicKey: string };
export type DeviceKeys = { load(userId: string): Promise<DeviceKey> };

/**
 * The desktop app: main keeps the key pair sealed by the OS key store (safeStorage) and hands it
 * to its own renderer, which imports the private half as a non-extractable key at once.
 */
export function sealedDeviceKeys(client: TandemClient): DeviceKeys {
  return {
    async load() {
      const pair = await client.encryptionDeviceKey();
      return { privateKey: await importDevicePrivateKey(fromBase64(pair.privateKey)), publicKey: pair.publicKey };
    },
  };
}

const DB_NAME = 'tandem-e2ee';
const STORE = 'device-keys';

type Stored = { readonly privateKey: CryptoKey; readonly publicKey: string };

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/**
 * The browser client: a key pair made in WebCrypto with a non-extractable private key, kept in
 * IndexedDB as the CryptoKey object itself (the browser stores it without ever exposing its bytes).
 */
export function indexedDbDeviceKeys(): DeviceKeys {
  async function open(): Promise<IDBDatabase> {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    return request(opening);
  }
  return {
    async load(userId) {
      const db = await open();
      try {
        const stored = (await request(db.transaction(STORE).objectStore(STORE).get(userId))) as Stored | undefined;
        if (stored !== undefined) return stored;
        const pair = await newDeviceKeyPair();
        const made: Stored = { privateKey: pair.privateKey, publicKey: await exportPublicKey(pair.publicKey) };
        await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(made, userId));
        return made;
      } finally {
        db.close();
      }
    },
  };
}
