import { describe, expect, it } from 'vitest';
import {
  exportPublicKey,
  fromBase64,
  newDeviceKeyPair,
  newMeetingKey,
  openChat,
  sealChat,
  toBase64,
  unwrapMeetingKey,
  verificationCode,
  wrapMeetingKey,
  type WrapContext,
} from './crypto.ts';

const context: WrapContext = { meetingId: 'm-1', generation: 3, recipientDeviceId: 'd-grace' };

async function device() {
  const pair = await newDeviceKeyPair();
  return { pair, publicKey: await exportPublicKey(pair.publicKey) };
}

describe('meeting key wrapping (Node WebCrypto)', () => {
  it('unwraps for the recipient exactly the key the sender wrapped, and keeps device keys unexportable', async () => {
    const [ada, grace] = await Promise.all([device(), device()]);
    const key = newMeetingKey();
    const wrapped = await wrapMeetingKey(ada.pair.privateKey, grace.publicKey, key, context);
    expect(wrapped).not.toContain(toBase64(key));
    expect(await unwrapMeetingKey(grace.pair.privateKey, ada.publicKey, wrapped, context)).toEqual(key);
    await expect(crypto.subtle.exportKey('pkcs8', ada.pair.privateKey)).rejects.toThrow();
  });

  it('refuses another device, another sender, another meeting, generation or recipient, and a changed byte', async () => {
    const [ada, grace, mallory] = await Promise.all([device(), device(), device()]);
    const wrapped = await wrapMeetingKey(ada.pair.privateKey, grace.publicKey, newMeetingKey(), context);
    await expect(unwrapMeetingKey(mallory.pair.privateKey, ada.publicKey, wrapped, context)).rejects.toThrow();
    await expect(unwrapMeetingKey(grace.pair.privateKey, mallory.publicKey, wrapped, context)).rejects.toThrow();
    for (const other of [
      { ...context, meetingId: 'm-2' },
      { ...context, generation: 4 },
      { ...context, recipientDeviceId: 'd-mallory' },
    ]) {
      await expect(unwrapMeetingKey(grace.pair.privateKey, ada.publicKey, wrapped, other)).rejects.toThrow();
    }
    const bytes = fromBase64(wrapped);
    bytes[20] = (bytes[20] ?? 0) ^ 1;
    await expect(unwrapMeetingKey(grace.pair.privateKey, ada.publicKey, toBase64(bytes), context)).rejects.toThrow();
  });
});

describe('encrypted chat', () => {
  it('opens with the key that sealed it and with no other', async () => {
    const key = newMeetingKey();
    const message = { id: 'c-1', text: 'the launch is on Tuesday', sentAt: '2026-12-03T07:00:00.000Z' };
    const envelope = await sealChat(key, 2, message);
    expect(atob(envelope.data)).not.toContain('launch');
    expect(await openChat(key, envelope)).toEqual(message);
    await expect(openChat(newMeetingKey(), envelope)).rejects.toThrow();
    await expect(openChat(key, { ...envelope, generation: 3 })).rejects.toThrow();
  });
});

describe('verification code', () => {
  const participants = [
    { userId: 'u-ada', publicKey: 'QUFB' },
    { userId: 'u-grace', publicKey: 'R1JH' },
  ];

  it('is the same for the same key and people in any order, twelve digits in fours groups of three', async () => {
    const meetingKey = newMeetingKey();
    const a = await verificationCode({ meetingId: 'm-1', generation: 1, meetingKey, participants });
    const b = await verificationCode({
      meetingId: 'm-1',
      generation: 1,
      meetingKey,
      participants: [...participants].reverse(),
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^\d{3} \d{3} \d{3} \d{3}$/);
  });

  it('differs with another key, generation or public key', async () => {
    const meetingKey = newMeetingKey();
    const base = await verificationCode({ meetingId: 'm-1', generation: 1, meetingKey, participants });
    const others = await Promise.all([
      verificationCode({ meetingId: 'm-1', generation: 1, meetingKey: newMeetingKey(), participants }),
      verificationCode({ meetingId: 'm-1', generation: 2, meetingKey, participants }),
      verificationCode({
        meetingId: 'm-1',
        generation: 1,
        meetingKey,
        participants: [
          { userId: 'u-ada', publicKey: 'QUFB' },
          { userId: 'u-grace', publicKey: 'TUFM' },
        ],
      }),
    ]);
    for (const other of others) expect(other).not.toBe(base);
  });
});
