import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempFolder } from '../db/testing.ts';
import { fakeKeyStoreCipher } from '../platform/headless.ts';
import { createDeviceKeys } from './deviceKey.ts';
import { encryptedFileSecretStore } from './secretStore.ts';

const tempDir = useTempFolder('tandem-device-key-');

describe('device keys sealed by the OS key store (safeStorage replaced by a fake AES cipher)', () => {
  it('makes one P-256 key pair per person, keeps it only sealed, and reads it back after a restart', async () => {
    const file = path.join(tempDir(), 'secrets.bin');
    const cipher = fakeKeyStoreCipher(crypto.randomBytes(32));
    const keys = createDeviceKeys(encryptedFileSecretStore(file, cipher));
    const [first, again] = await Promise.all([keys.get('u-ada'), keys.get('u-ada')]);
    expect(again).toEqual(first);
    const publicKey = crypto.createPublicKey({
      key: Buffer.from(first.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // The private half matches the public one.
    const privateKey = crypto.createPrivateKey({
      key: Buffer.from(first.privateKey, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    expect(crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64')).toBe(
      first.publicKey,
    );

    const onDisk = fs.readFileSync(file, 'latin1');
    expect(onDisk).not.toContain(first.privateKey.slice(0, 40));
    expect(onDisk).not.toContain(first.publicKey.slice(0, 40));

    const restarted = createDeviceKeys(encryptedFileSecretStore(file, cipher));
    expect(await restarted.get('u-ada')).toEqual(first);
    expect((await restarted.get('u-grace')).publicKey).not.toBe(first.publicKey);
  });
});
