import { createPublicKey } from 'node:crypto';
import {
  E2EE_KEYS_KEPT,
  type E2eeDevice,
  type E2eeDevices,
  type E2eeKeys,
  type Meeting,
  type PostE2eeKeysRequest,
} from '@tandem/shared';
import type { E2eeDeviceRecord, Store } from '../store/index.ts';
import { type Caller, newId, nowIso } from './context.ts';
import { badRequest, conflict, forbidden, notFound } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import type { Realtime } from './realtime.ts';

/** Whether `base64` is the SubjectPublicKeyInfo of an EC P-256 key (what clients derive with). */
function isP256PublicKey(base64: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}

/**
 * End-to-end encryption's server side (docs/e2ee.md): it keeps devices' public keys, which device
 * each participant takes into an encrypted meeting, and meeting keys wrapped per recipient device,
 * and forwards them. It never sees a raw key. Everything meeting-scoped is for the meeting's
 * participants only (`access.asParticipant`: never a guest the lobby has not admitted, never the
 * removed or denied, never another organisation), and a device is only ever its owner's to use.
 */
export function e2eeService(store: Store, realtime: Realtime, access: MeetingAccess) {
  async function encrypted(caller: Caller, meetingId: string): Promise<Meeting> {
    const m = await access.asParticipant(caller, meetingId);
    if (!m.settings.e2ee) throw conflict('this meeting is not end-to-end encrypted');
    return m;
  }

  async function ownDevice(caller: Caller, deviceId: string): Promise<E2eeDeviceRecord> {
    const device = await store.e2ee.device(caller.user.organisationId, deviceId);
    if (device?.userId !== caller.user.id) throw notFound('device');
    return device;
  }

  return {
    async registerDevice(caller: Caller, publicKey: string): Promise<E2eeDevice> {
      if (!isP256PublicKey(publicKey))
        throw badRequest('publicKey is not an EC P-256 public key', [
          { path: 'publicKey', message: 'expected the SubjectPublicKeyInfo of a P-256 key, base64' },
        ]);
      const d = await store.e2ee.registerDevice({
        id: newId(),
        organisationId: caller.user.organisationId,
        userId: caller.user.id,
        publicKey,
        createdAt: nowIso(),
      });
      return { id: d.id, publicKey: d.publicKey, createdAt: d.createdAt };
    },

    async announce(caller: Caller, meetingId: string, deviceId: string): Promise<void> {
      const m = await encrypted(caller, meetingId);
      await ownDevice(caller, deviceId);
      await store.e2ee.announce(m.id, caller.user.id, deviceId, nowIso());
    },

    async devices(caller: Caller, meetingId: string): Promise<E2eeDevices> {
      const m = await encrypted(caller, meetingId);
      return { generation: await store.e2ee.generation(m.id), devices: await store.e2ee.meetingDevices(m.id) };
    },

    /**
     * Stores a generation wrapped for participants' announced devices, sent by the caller's own
     * announced device, then tells each recipient. The generation rule is the store's, checked in
     * its transaction.
     */
    async postKeys(caller: Caller, meetingId: string, req: PostE2eeKeysRequest): Promise<void> {
      const m = await encrypted(caller, meetingId);
      const announced = await store.e2ee.meetingDevices(m.id);
      const sender = announced.find((d) => d.deviceId === req.senderDeviceId);
      if (sender?.userId !== caller.user.id) throw notFound('device');
      const byDevice = new Map(announced.map((d) => [d.deviceId, d.userId]));
      const recipients = new Set<string>();
      for (const key of req.keys) {
        const userId = byDevice.get(key.deviceId);
        if (userId === undefined) throw badRequest(`device ${key.deviceId} is not in this meeting`);
        recipients.add(userId);
      }
      // Someone removed or denied keeps their announced device, but no key made for them is stored.
      for (const userId of recipients) {
        const entry = await store.meetings.entryOf(m.id, userId);
        if (entry?.status === 'removed' || entry?.status === 'denied')
          throw forbidden(`${userId} was ${entry.status} from this meeting: no key is wrapped for them`);
      }
      const outcome = await store.e2ee.putKeys({
        kind: req.kind,
        meetingId: m.id,
        generation: req.generation,
        senderDevice: req.senderDeviceId,
        keys: req.keys,
        now: nowIso(),
      });
      if (outcome === 'stale') throw conflict('another key generation was made meanwhile: fetch the devices again');
      if (outcome === 'not_holder') throw conflict('your device does not hold the newest key generation');
      realtime.toUsers(recipients, { type: 'e2ee.keys', meetingId: m.id, generation: req.generation });
    },

    async keys(caller: Caller, meetingId: string, deviceId: string): Promise<E2eeKeys> {
      const m = await encrypted(caller, meetingId);
      await ownDevice(caller, deviceId);
      return {
        generation: await store.e2ee.generation(m.id),
        keys: await store.e2ee.keysFor(m.id, deviceId, E2EE_KEYS_KEPT),
      };
    },
  };
}

export type E2eeService = ReturnType<typeof e2eeService>;
