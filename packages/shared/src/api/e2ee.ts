import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/**
 * End-to-end encryption of a meeting (docs/e2ee.md). The server stores device public keys and
 * meeting keys wrapped for one recipient device each; it never sees a raw key. All binary values
 * travel as standard base64.
 */

const base64 = (max: number) =>
  z
    .string()
    .min(4)
    .max(max)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');

/** A device's ECDH P-256 public key: SubjectPublicKeyInfo DER (91 bytes), base64. */
export const E2eePublicKeySchema = lazySchema(() => base64(200));
/** A meeting key wrapped for one device: AES-GCM IV (12 bytes) then ciphertext and tag, base64. */
export const E2eeWrappedKeySchema = lazySchema(() => base64(200));

/**
 * What an encrypted meeting cannot do: recording, transcription and dial-in need the server to see
 * or hear its media; breakout rooms would need a key per room (not made yet, docs/e2ee.md).
 */
export const E2EE_UNAVAILABLE = ['recording', 'transcription', 'dialIn', 'breakouts', 'whiteboard'] as const;
export type E2eeUnavailable = (typeof E2EE_UNAVAILABLE)[number];

/** The LiveKit data topic of in-call chat in an encrypted meeting (JSON of E2eeChatEnvelope, UTF-8). */
export const E2EE_CHAT_TOPIC = 'tandem.e2ee.chat';

/** An encrypted chat message as it travels: which key generation sealed it, IV and ciphertext. */
export const E2eeChatEnvelopeSchema = lazySchema(() =>
  z.object({
    v: z.literal(1),
    generation: z.number().int().min(1),
    iv: base64(32),
    data: base64(16_384),
  }),
);
export type E2eeChatEnvelope = z.infer<typeof E2eeChatEnvelopeSchema>;

/** What the envelope holds once opened. */
export const E2eeChatMessageSchema = lazySchema(() =>
  z.object({
    id: z.string().min(1).max(64),
    text: z.string().min(1).max(4000),
    sentAt: TimestampSchema,
  }),
);
export type E2eeChatMessage = z.infer<typeof E2eeChatMessageSchema>;

/** A message of an encrypted meeting's chat as a participant's device keeps it: who sent it (LiveKit identity) and their name. */
export const E2eeChatEntrySchema = lazySchema(() =>
  E2eeChatMessageSchema.extend({
    from: z.string().min(1).max(200),
    name: z.string().max(200),
  }),
);
export type E2eeChatEntry = z.infer<typeof E2eeChatEntrySchema>;

export const E2eeDeviceSchema = lazySchema(() =>
  z.object({ id: IdSchema, publicKey: E2eePublicKeySchema, createdAt: TimestampSchema }),
);
export type E2eeDevice = z.infer<typeof E2eeDeviceSchema>;

export const RegisterE2eeDeviceRequestSchema = lazySchema(() => z.object({ publicKey: E2eePublicKeySchema }));
export type RegisterE2eeDeviceRequest = z.infer<typeof RegisterE2eeDeviceRequestSchema>;

/** The device the caller takes into the meeting's call (one per person and meeting; the latest counts). */
export const AnnounceE2eeDeviceRequestSchema = lazySchema(() => z.object({ deviceId: IdSchema }));
export type AnnounceE2eeDeviceRequest = z.infer<typeof AnnounceE2eeDeviceRequestSchema>;

/** A participant's announced device; `generation`: the newest key generation wrapped for it (0: none). */
export const E2eeParticipantDeviceSchema = lazySchema(() =>
  z.object({
    userId: IdSchema,
    deviceId: IdSchema,
    publicKey: E2eePublicKeySchema,
    generation: z.number().int().min(0),
  }),
);
export type E2eeParticipantDevice = z.infer<typeof E2eeParticipantDeviceSchema>;

/** `generation`: the meeting's newest key generation (0 before the first key was made). */
export const E2eeDevicesSchema = lazySchema(() =>
  z.object({
    generation: z.number().int().min(0),
    devices: z.array(E2eeParticipantDeviceSchema),
  }),
);
export type E2eeDevices = z.infer<typeof E2eeDevicesSchema>;

/**
 * A key generation wrapped for recipient devices. `create`: a new key, the generation after the
 * meeting's newest (any participant may make it; of two at once the first wins and the other is
 * refused with 409). `share`: the newest generation for more recipients, by a device that holds it.
 */
export const PostE2eeKeysRequestSchema = lazySchema(() =>
  z.object({
    kind: z.enum(['create', 'share']),
    generation: z.number().int().min(1),
    senderDeviceId: IdSchema,
    keys: z
      .array(z.object({ deviceId: IdSchema, wrapped: E2eeWrappedKeySchema }))
      .min(1)
      .max(500),
  }),
);
export type PostE2eeKeysRequest = z.infer<typeof PostE2eeKeysRequestSchema>;

export const E2eeKeysQuerySchema = lazySchema(() => z.object({ deviceId: IdSchema }));

/** One generation wrapped for the caller's device, with whose device wrapped it (to unwrap it). */
export const E2eeWrappedKeyEntrySchema = lazySchema(() =>
  z.object({
    generation: z.number().int().min(1),
    wrapped: E2eeWrappedKeySchema,
    senderUserId: IdSchema,
    senderDeviceId: IdSchema,
    senderPublicKey: E2eePublicKeySchema,
  }),
);
export type E2eeWrappedKeyEntry = z.infer<typeof E2eeWrappedKeyEntrySchema>;

/** The newest generations wrapped for the device, newest first (at most E2EE_KEYS_KEPT). */
export const E2eeKeysSchema = lazySchema(() =>
  z.object({
    generation: z.number().int().min(0),
    keys: z.array(E2eeWrappedKeyEntrySchema),
  }),
);
export type E2eeKeys = z.infer<typeof E2eeKeysSchema>;

/** LiveKit's key ring holds 16 keys by index (generation mod 16); older ones are of no use. */
export const E2EE_KEYS_KEPT = 16;
