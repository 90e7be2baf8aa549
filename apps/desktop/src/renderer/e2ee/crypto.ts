/**
 * The cryptography of end-to-end encrypted meetings (docs/e2ee.md), on WebCrypto alone so it runs
 * the same in Chromium and under Node's tests. Device keys are ECDH P-256; a meeting key is 32
 * random bytes; it is wrapped for a device with AES-256-GCM under a key derived by HKDF-SHA-256
 * from the ECDH secret of the sender's and recipient's device keys. Every derived key is bound to
 * what it is for (`info`), and the wrap's associated data names the meeting, the generation and
 * the recipient, so a wrapped key cannot be replayed as another.
 */
import type { E2eeChatEnvelope, E2eeChatMessage } from '@tandem/shared';

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const encoder = new TextEncoder();
const IV_BYTES = 12;
export const MEETING_KEY_BYTES = 32;

export const toBase64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
};
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** A device key pair whose private half can never be exported (kept as a CryptoKey, e.g. in IndexedDB). */
export async function newDeviceKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
}

/** A private key handed over as PKCS#8 (the desktop app's main process keeps it sealed), made non-extractable. */
export function importDevicePrivateKey(pkcs8: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', pkcs8, ECDH, false, ['deriveBits']);
}

export async function exportPublicKey(key: CryptoKey): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.exportKey('spki', key)));
}

const importPublicKey = (spki: string): Promise<CryptoKey> =>
  crypto.subtle.importKey('spki', fromBase64(spki), ECDH, false, []);

export const newMeetingKey = (): Uint8Array<ArrayBuffer> => crypto.getRandomValues(new Uint8Array(MEETING_KEY_BYTES));

/** What a wrapped key is for: it unwraps only for this meeting, generation and recipient device. */
export type WrapContext = {
  readonly meetingId: string;
  readonly generation: number;
  readonly recipientDeviceId: string;
};
const contextBytes = (c: WrapContext) =>
  encoder.encode(`tandem-e2ee-wrap-v1|${c.meetingId}|${c.generation}|${c.recipientDeviceId}`);

async function hkdfKey(secret: BufferSource, info: Uint8Array<ArrayBuffer>, usage: KeyUsage[]): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    usage,
  );
}

async function wrappingKey(own: CryptoKey, otherPublicKey: string, c: WrapContext): Promise<CryptoKey> {
  const shared = await crypto.subtle.deriveBits(
    { name: 'ECDH', public: await importPublicKey(otherPublicKey) },
    own,
    256,
  );
  return hkdfKey(shared, contextBytes(c), ['encrypt', 'decrypt']);
}

/** `meetingKey` wrapped by `own` (the sender's private key) for the recipient's public key: base64 of IV ‖ ciphertext. */
export async function wrapMeetingKey(
  own: CryptoKey,
  recipientPublicKey: string,
  meetingKey: Uint8Array<ArrayBuffer>,
  c: WrapContext,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: contextBytes(c) },
    await wrappingKey(own, recipientPublicKey, c),
    meetingKey,
  );
  const out = new Uint8Array(IV_BYTES + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), IV_BYTES);
  return toBase64(out);
}

/** The meeting key, unwrapped by `own` (the recipient's private key); throws when it was not wrapped for it. */
export async function unwrapMeetingKey(
  own: CryptoKey,
  senderPublicKey: string,
  wrapped: string,
  c: WrapContext,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = fromBase64(wrapped);
  const key = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes.slice(0, IV_BYTES), additionalData: contextBytes(c) },
    await wrappingKey(own, senderPublicKey, c),
    bytes.slice(IV_BYTES),
  );
  if (key.byteLength !== MEETING_KEY_BYTES) throw new Error('a wrapped meeting key of the wrong size');
  return new Uint8Array(key);
}

const chatKey = (meetingKey: Uint8Array<ArrayBuffer>, usage: KeyUsage) =>
  hkdfKey(meetingKey, encoder.encode('tandem-e2ee-chat-v1'), [usage]);

/** A chat message sealed with the meeting key of `generation`, as it travels on E2EE_CHAT_TOPIC. */
export async function sealChat(
  meetingKey: Uint8Array<ArrayBuffer>,
  generation: number,
  message: E2eeChatMessage,
): Promise<E2eeChatEnvelope> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(`generation ${generation}`) },
    await chatKey(meetingKey, 'encrypt'),
    encoder.encode(JSON.stringify(message)),
  );
  return { v: 1, generation, iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
}

/** The envelope's plain text (JSON, still to be validated); throws when `meetingKey` did not seal it. */
export async function openChat(meetingKey: Uint8Array<ArrayBuffer>, envelope: E2eeChatEnvelope): Promise<unknown> {
  const plain = await crypto.subtle.decrypt(
    {
      name: 'AES-GCM',
      iv: fromBase64(envelope.iv),
      additionalData: encoder.encode(`generation ${envelope.generation}`),
    },
    await chatKey(meetingKey, 'decrypt'),
    fromBase64(envelope.data),
  );
  return JSON.parse(new TextDecoder().decode(plain)) as unknown;
}

export type VerificationInput = {
  readonly meetingId: string;
  readonly generation: number;
  readonly meetingKey: Uint8Array<ArrayBuffer>;
  /** The people in the call with their device public keys; order does not matter. */
  readonly participants: readonly { readonly userId: string; readonly publicKey: string }[];
};

/**
 * A short code everyone in the call can read aloud: four groups of three digits (about 40 bits)
 * derived from the meeting key of the generation and the participants' public keys. The same code
 * means the same key and the same devices; a server that slipped in its own public key for someone
 * would hand that person a different code.
 */
export async function verificationCode(input: VerificationInput): Promise<string> {
  const people = [...input.participants]
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
    .map((p) => `${p.userId}:${p.publicKey}`)
    .join(',');
  const material = await crypto.subtle.importKey('raw', input.meetingKey, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(32),
      info: encoder.encode(`tandem-e2ee-verify-v1|${input.meetingId}|${input.generation}|${people}`),
    },
    material,
    64,
  );
  const view = new DataView(bits);
  // 40 bits as 12 decimal digits: the high 8 bits and the low 32, each reduced.
  const value = (view.getUint8(0) * 2 ** 32 + view.getUint32(4)) % 1e12;
  const digits = value.toString().padStart(12, '0');
  return digits.match(/\d{3}/g)?.join(' ') ?? digits;
}
