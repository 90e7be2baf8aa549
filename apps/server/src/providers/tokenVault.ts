import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ProviderId } from './providerError.ts';

/**
 * What a connection stores. OAuth connections (Microsoft, Google) keep the refresh token;
 * Zoom Server-to-Server connections keep the account's app credentials, since Zoom issues
 * no refresh token for that flow.
 */
export const ProviderCredentialsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('oauth'),
    refreshToken: z.string().min(1),
    scope: z.string().optional(),
  }),
  z.object({
    kind: z.literal('zoom_s2s'),
    accountId: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** Each Zoom app has its own webhook secret token, so it is per organisation too. */
    webhookSecretToken: z.string().min(1).optional(),
  }),
]);
export type ProviderCredentials = z.infer<typeof ProviderCredentialsSchema>;

/** One connection: an organisation's account (no userId) or one user's calendar (userId). */
export type CredentialKey = { readonly orgId: string; readonly provider: ProviderId; readonly userId?: string };

/** AES-256-GCM output, stored as is; `keyId` names the key that sealed it so keys can rotate. */
export type SealedCredentials = {
  readonly keyId: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
};

/** Storage only ever sees sealed values; the server's store implements this. */
export type CredentialStore = {
  get(key: CredentialKey): Promise<SealedCredentials | undefined>;
  put(key: CredentialKey, sealed: SealedCredentials): Promise<void>;
  /** Whether something was deleted. */
  delete(key: CredentialKey): Promise<boolean>;
};

/** Encryption keys by id; `currentKeyId` seals, every listed key can still open. */
export type VaultKeyring = { readonly currentKeyId: string; readonly keys: ReadonlyMap<string, Buffer> };

/**
 * Parses `id:base64key[,id:base64key…]`, the first being the current key. Each key must be
 * 32 random bytes (e.g. `openssl rand -base64 32`).
 */
export function parseVaultKeyring(spec: string): VaultKeyring {
  const keys = new Map<string, Buffer>();
  let currentKeyId: string | undefined;
  for (const part of spec.split(',')) {
    const separator = part.indexOf(':');
    const id = part.slice(0, separator).trim();
    const key = Buffer.from(part.slice(separator + 1).trim(), 'base64');
    if (separator <= 0 || key.length !== 32) throw new Error(`vault key "${id}" must be id:<32 bytes in base64>`);
    if (keys.has(id)) throw new Error(`vault key "${id}" is listed twice`);
    keys.set(id, key);
    currentKeyId ??= id;
  }
  if (currentKeyId === undefined) throw new Error('no vault key given');
  return { currentKeyId, keys };
}

export type TokenVault = {
  put(key: CredentialKey, credentials: ProviderCredentials): Promise<void>;
  get(key: CredentialKey): Promise<ProviderCredentials | undefined>;
  /** Deletes the stored credentials; whether there were any. */
  revoke(key: CredentialKey): Promise<boolean>;
};

// Binding the ciphertext to its key means a row copied to another organisation does not open.
function associatedData(key: CredentialKey): Buffer {
  return Buffer.from(JSON.stringify([key.orgId, key.provider, key.userId ?? null]));
}

/** AES-256-GCM with the keyring's current key, `aad` binding the text to where it belongs (also for stream keys). */
export function sealText(keyring: VaultKeyring, aad: Buffer, text: string): SealedCredentials {
  const secret = keyring.keys.get(keyring.currentKeyId);
  if (secret === undefined) throw new Error(`vault key "${keyring.currentKeyId}" is not in the keyring`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return {
    keyId: keyring.currentKeyId,
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Opens what `sealText` sealed with the same `aad`; throws when it was sealed elsewhere or altered. */
export function openText(keyring: VaultKeyring, aad: Buffer, sealed: SealedCredentials): string {
  const secret = keyring.keys.get(sealed.keyId);
  if (secret === undefined) throw new Error(`credentials sealed with unknown vault key "${sealed.keyId}"`);
  const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

function seal(keyring: VaultKeyring, key: CredentialKey, credentials: ProviderCredentials): SealedCredentials {
  return sealText(keyring, associatedData(key), JSON.stringify(credentials));
}

function open(keyring: VaultKeyring, key: CredentialKey, sealed: SealedCredentials): ProviderCredentials {
  return ProviderCredentialsSchema.parse(JSON.parse(openText(keyring, associatedData(key), sealed)));
}

/** Encrypts provider credentials at rest; a value sealed with an older key is resealed when read. */
export function createTokenVault(store: CredentialStore, keyring: VaultKeyring): TokenVault {
  return {
    async put(key, credentials) {
      await store.put(key, seal(keyring, key, ProviderCredentialsSchema.parse(credentials)));
    },
    async get(key) {
      const sealed = await store.get(key);
      if (sealed === undefined) return undefined;
      const credentials = open(keyring, key, sealed);
      if (sealed.keyId !== keyring.currentKeyId) await store.put(key, seal(keyring, key, credentials));
      return credentials;
    },
    revoke(key) {
      return store.delete(key);
    },
  };
}

/** For tests and single-process development; the server backs the vault with its database. */
export function inMemoryCredentialStore(): CredentialStore & { readonly size: () => number } {
  const rows = new Map<string, SealedCredentials>();
  const id = (key: CredentialKey) => JSON.stringify([key.orgId, key.provider, key.userId ?? null]);
  return {
    async get(key) {
      return rows.get(id(key));
    },
    async put(key, sealed) {
      rows.set(id(key), sealed);
    },
    async delete(key) {
      return rows.delete(id(key));
    },
    size: () => rows.size,
  };
}
