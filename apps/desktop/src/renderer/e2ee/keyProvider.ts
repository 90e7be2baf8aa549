import { BaseKeyProvider } from 'livekit-client';
import { E2EE_KEYS_KEPT } from '@tandem/shared';

/**
 * LiveKit's frame encryption fed with the meeting's keys: one key shared by everyone in the call,
 * each generation in the key ring at index generation mod 16 (the index travels with every frame,
 * so a receiver picks the right key while a new generation spreads). No ratcheting: a new key is
 * only ever a new generation made and distributed by a participant (docs/e2ee.md).
 */
export class MeetingKeyProvider extends BaseKeyProvider {
  constructor() {
    super({ sharedKey: true, ratchetWindowSize: 0, failureTolerance: -1, keyringSize: E2EE_KEYS_KEPT });
  }

  /** Sets a generation's key; the one set last is what this participant encrypts with. */
  async setGeneration(meetingKey: Uint8Array<ArrayBuffer>, generation: number): Promise<void> {
    const material = await crypto.subtle.importKey('raw', meetingKey, 'HKDF', false, ['deriveBits', 'deriveKey']);
    this.onSetEncryptionKey(material, undefined, generation % E2EE_KEYS_KEPT);
  }
}
