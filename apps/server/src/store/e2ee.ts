import type { E2eeDevice, E2eeParticipantDevice, E2eeWrappedKeyEntry } from '@tandem/shared';
import type { Db } from './db.ts';
import { lockRow } from './dialect.ts';

export type E2eeDeviceRecord = E2eeDevice & { readonly organisationId: string; readonly userId: string };

export type NewWrappedKeys = {
  readonly kind: 'create' | 'share';
  readonly meetingId: string;
  readonly generation: number;
  readonly senderDevice: string;
  readonly keys: readonly { readonly deviceId: string; readonly wrapped: string }[];
  readonly now: string;
};

/**
 * `created`: a new generation; `added`: recipients of the newest one; `stale`: a new generation
 * that is not the one after the newest, or a share of one that is not the newest (someone made a
 * newer key meanwhile); `not_holder`: the sender's device neither made nor received the newest
 * generation, so it cannot hold its key.
 */
export type PutKeysOutcome = 'created' | 'added' | 'stale' | 'not_holder';

/** End-to-end encryption (020_e2ee): device public keys and wrapped meeting keys, never a raw key. */
export function e2eeStore(db: Db) {
  async function generation(meetingId: string, q: Db = db): Promise<number> {
    const row = await q
      .selectFrom('e2ee_key_generations')
      .select((eb) => eb.fn.max('generation').as('g'))
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    return row?.g ?? 0;
  }

  return {
    generation,

    /** The device with this public key, made the first time it is registered. */
    async registerDevice(d: E2eeDeviceRecord): Promise<E2eeDeviceRecord> {
      await db
        .insertInto('e2ee_devices')
        .values({
          id: d.id,
          organisation_id: d.organisationId,
          user_id: d.userId,
          public_key: d.publicKey,
          created_at: d.createdAt,
        })
        .onConflict((oc) => oc.columns(['user_id', 'public_key']).doNothing())
        .execute();
      const row = await db
        .selectFrom('e2ee_devices')
        .selectAll()
        .where('user_id', '=', d.userId)
        .where('public_key', '=', d.publicKey)
        .executeTakeFirstOrThrow();
      return {
        id: row.id,
        organisationId: row.organisation_id,
        userId: row.user_id,
        publicKey: row.public_key,
        createdAt: row.created_at,
      };
    },

    async device(organisationId: string, deviceId: string): Promise<E2eeDeviceRecord | undefined> {
      const row = await db
        .selectFrom('e2ee_devices')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('id', '=', deviceId)
        .executeTakeFirst();
      return row === undefined
        ? undefined
        : {
            id: row.id,
            organisationId: row.organisation_id,
            userId: row.user_id,
            publicKey: row.public_key,
            createdAt: row.created_at,
          };
    },

    async announce(meetingId: string, userId: string, deviceId: string, now: string): Promise<void> {
      await db
        .insertInto('e2ee_meeting_devices')
        .values({ meeting_id: meetingId, user_id: userId, device_id: deviceId, announced_at: now })
        .onConflict((oc) =>
          oc.columns(['meeting_id', 'user_id']).doUpdateSet({ device_id: deviceId, announced_at: now }),
        )
        .execute();
    },

    /** Each participant's announced device, with the newest generation wrapped for it (0: none). */
    async meetingDevices(meetingId: string): Promise<E2eeParticipantDevice[]> {
      const rows = await db
        .selectFrom('e2ee_meeting_devices as m')
        .innerJoin('e2ee_devices as d', 'd.id', 'm.device_id')
        .select((eb) => [
          'm.user_id',
          'm.device_id',
          'd.public_key',
          eb
            .selectFrom('e2ee_wrapped_keys as w')
            .select((w) => w.fn.max('w.generation').as('g'))
            .whereRef('w.meeting_id', '=', 'm.meeting_id')
            .whereRef('w.recipient_device', '=', 'm.device_id')
            .as('generation'),
        ])
        .where('m.meeting_id', '=', meetingId)
        .orderBy('m.user_id')
        .execute();
      return rows.map((r) => ({
        userId: r.user_id,
        deviceId: r.device_id,
        publicKey: r.public_key,
        generation: r.generation ?? 0,
      }));
    },

    /**
     * Stores a generation's wrapped keys in one transaction with the check of which generation it
     * is, so two devices making "the next" key at once cannot both win.
     */
    putKeys(k: NewWrappedKeys): Promise<PutKeysOutcome> {
      return db.transaction().execute(async (tx): Promise<PutKeysOutcome> => {
        await lockRow(tx, 'meetings', k.meetingId);
        const newest = await generation(k.meetingId, tx);
        let outcome: PutKeysOutcome;
        if (k.kind === 'create') {
          if (k.generation !== newest + 1) return 'stale';
          await tx
            .insertInto('e2ee_key_generations')
            .values({
              meeting_id: k.meetingId,
              generation: k.generation,
              created_by_device: k.senderDevice,
              created_at: k.now,
            })
            .execute();
          outcome = 'created';
        } else {
          if (k.generation !== newest || newest === 0) return 'stale';
          const made = await tx
            .selectFrom('e2ee_key_generations')
            .select('created_by_device')
            .where('meeting_id', '=', k.meetingId)
            .where('generation', '=', newest)
            .executeTakeFirstOrThrow();
          const received = await tx
            .selectFrom('e2ee_wrapped_keys')
            .select('recipient_device')
            .where('meeting_id', '=', k.meetingId)
            .where('generation', '=', newest)
            .where('recipient_device', '=', k.senderDevice)
            .executeTakeFirst();
          if (made.created_by_device !== k.senderDevice && received === undefined) return 'not_holder';
          outcome = 'added';
        }
        await tx
          .insertInto('e2ee_wrapped_keys')
          .values(
            k.keys.map((key) => ({
              meeting_id: k.meetingId,
              generation: k.generation,
              recipient_device: key.deviceId,
              sender_device: k.senderDevice,
              wrapped: key.wrapped,
              created_at: k.now,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
        return outcome;
      });
    },

    /** The newest `limit` generations wrapped for the device, newest first, with their senders' keys. */
    async keysFor(meetingId: string, deviceId: string, limit: number): Promise<E2eeWrappedKeyEntry[]> {
      const rows = await db
        .selectFrom('e2ee_wrapped_keys as w')
        .innerJoin('e2ee_devices as s', 's.id', 'w.sender_device')
        .select(['w.generation', 'w.wrapped', 's.user_id', 's.id', 's.public_key'])
        .where('w.meeting_id', '=', meetingId)
        .where('w.recipient_device', '=', deviceId)
        .orderBy('w.generation', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        generation: r.generation,
        wrapped: r.wrapped,
        senderUserId: r.user_id,
        senderDeviceId: r.id,
        senderPublicKey: r.public_key,
      }));
    },
  };
}

export type E2eeStore = ReturnType<typeof e2eeStore>;
