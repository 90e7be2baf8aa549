import fs from 'node:fs/promises';

/**
 * Where tokens live. Never plain text on disk: either encrypted by the OS key store (Electron's
 * safeStorage) before it is written, or held in memory only when there is no real key store
 * (then the user signs in again after a restart).
 */
export type SecretStore = {
  /** False when secrets last only as long as the process. */
  readonly persistent: boolean;
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
};

/** The OS key store's encryption, as Electron's safeStorage offers it (platform/ adapts it). */
export type SecretCipher = {
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
};

export function memorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    persistent: false,
    get: async (key) => values.get(key) ?? null,
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}

/**
 * One file of ciphertext: a JSON map of key → base64(encrypted value). Written to a temporary
 * file and renamed so a crash never leaves half a file.
 */
export function encryptedFileSecretStore(file: string, cipher: SecretCipher): SecretStore {
  async function load(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
  async function save(entries: Record<string, string>): Promise<void> {
    const tmp = `${file}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(entries), { mode: 0o600 });
    await fs.rename(tmp, file);
  }
  return {
    persistent: true,
    async get(key) {
      const stored = (await load())[key];
      if (stored === undefined) return null;
      try {
        return cipher.decrypt(Buffer.from(stored, 'base64'));
      } catch {
        // Encrypted under another OS user or key: as good as absent.
        return null;
      }
    },
    async set(key, value) {
      const entries = await load();
      entries[key] = cipher.encrypt(value).toString('base64');
      await save(entries);
    },
    async delete(key) {
      const { [key]: _, ...rest } = await load();
      await save(rest);
    },
  };
}
