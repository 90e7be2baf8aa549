import {
  E2EE_CHAT_TOPIC,
  E2eeChatEnvelopeSchema,
  E2eeChatMessageSchema,
  type E2eeChatEntry,
  type E2eeParticipantDevice,
  type TandemClient,
} from '@tandem/shared';
import { RoomEvent, type Room } from 'livekit-client';
import { createStore, type StoreApi } from 'zustand';
import { BridgeError } from '../client.ts';
import { onTopic, publishJson, type Topic } from '../collab/roomData.ts';
import { errorText } from '../ui/errorText.ts';
import { newMeetingKey, openChat, sealChat, unwrapMeetingKey, verificationCode, wrapMeetingKey } from './crypto.ts';
import type { DeviceKey, DeviceKeys } from './deviceKeys.ts';
import { keyPlan } from './keyPlan.ts';
import { MeetingKeyProvider } from './keyProvider.ts';

const CHAT: Topic = { topic: E2EE_CHAT_TOPIC, reliable: true };
/** Besides events, the plan is checked this often: a missed event or a refused race settles by itself. */
const RECHECK_MS = 5_000;

export type EncryptedChatEntry = E2eeChatEntry & { readonly mine: boolean };

export type E2eeState = {
  /** `waiting`: in the call without a key yet (someone in the call will wrap one for this device). */
  readonly status: 'preparing' | 'waiting' | 'ready';
  /** The newest key generation this device holds (0: none). */
  readonly generation: number;
  readonly error: string | null;
  /** In-call chat: the server never has it; the desktop's cache keeps it, the browser only in memory. */
  readonly messages: readonly EncryptedChatEntry[];
  /** Messages that came sealed with a key this device does not hold. */
  readonly unreadable: number;
};

export type Verification = {
  readonly code: string;
  readonly generation: number;
  readonly participants: readonly string[];
};

/**
 * One encrypted call's keys (docs/e2ee.md): registers this device and names it for the meeting
 * before connecting, then, from Room events and the server's `e2ee.keys`, follows `keyPlan`:
 * makes or shares meeting keys wrapped for the devices in the call, unwraps those wrapped for this
 * one, and feeds them to LiveKit's frame encryption. In-call chat is sealed with the newest key
 * and sent on E2EE_CHAT_TOPIC.
 */
export function createE2eeSession(deps: {
  readonly client: TandemClient;
  readonly deviceKeys: DeviceKeys;
  readonly meetingId: string;
  /** This participant's LiveKit identity, the user's id. */
  readonly self: string;
}) {
  const { client, meetingId, self } = deps;
  const keyProvider = new MeetingKeyProvider();
  const keys = new Map<number, Uint8Array<ArrayBuffer>>();
  const store: StoreApi<E2eeState> = createStore<E2eeState>()(() => ({
    status: 'preparing',
    generation: 0,
    error: null,
    messages: [],
    unreadable: 0,
  }));
  let device: (DeviceKey & { readonly id: string }) | undefined;
  let devices: readonly E2eeParticipantDevice[] = [];
  let room: Room | undefined;
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  const fail = (e: unknown) => {
    if (!closed) store.setState({ error: errorText(e) });
  };
  /** Key work runs one task at a time, in order. */
  const run = (task: () => Promise<void>): Promise<void> => (queue = queue.then(task).catch(fail));
  const mine = () => {
    if (device === undefined) throw new Error('the device is not registered yet');
    return device;
  };

  async function fetchKeys(): Promise<void> {
    const d = mine();
    const answer = await client.encryptionKeys({ params: { meetingId }, body: {}, query: { deviceId: d.id } });
    const fresh = answer.keys.filter((k) => !keys.has(k.generation)).sort((a, b) => a.generation - b.generation);
    // Older generations first: the one set last is the one this participant encrypts with.
    for (const k of fresh) {
      const context = { meetingId, generation: k.generation, recipientDeviceId: d.id };
      const key = await unwrapMeetingKey(d.privateKey, k.senderPublicKey, k.wrapped, context);
      keys.set(k.generation, key);
      await keyProvider.setGeneration(key, k.generation);
    }
    const newest = Math.max(0, ...keys.keys());
    store.setState({ generation: newest, status: newest > 0 ? 'ready' : 'waiting', error: null });
  }

  async function wrapFor(
    recipients: readonly E2eeParticipantDevice[],
    key: Uint8Array<ArrayBuffer>,
    generation: number,
  ): Promise<{ deviceId: string; wrapped: string }[]> {
    const d = mine();
    return Promise.all(
      recipients.map(async (r) => ({
        deviceId: r.deviceId,
        wrapped: await wrapMeetingKey(d.privateKey, r.publicKey, key, {
          meetingId,
          generation,
          recipientDeviceId: r.deviceId,
        }),
      })),
    );
  }

  /** Does what the plan says this device should; a refused race (409) is settled at the next check. */
  async function reconcile(): Promise<void> {
    if (room === undefined || closed) return;
    const listed = await client.encryptionDevices({ params: { meetingId }, body: {} });
    devices = listed.devices;
    const present = new Set([self, ...room.remoteParticipants.keys()]);
    const plan = keyPlan({ self, present, generation: listed.generation, devices });
    if (plan.kind === 'wait') return;
    const key = plan.kind === 'create' ? newMeetingKey() : keys.get(plan.generation);
    if (key === undefined) return fetchKeys();
    await client
      .encryptionPostKeys({
        params: { meetingId },
        body: {
          kind: plan.kind,
          generation: plan.generation,
          senderDeviceId: mine().id,
          keys: await wrapFor(plan.recipients, key, plan.generation),
        },
      })
      .catch((e: unknown) => {
        if (!(e instanceof BridgeError && e.code === 'conflict')) throw e;
      });
    // What counts is what the server kept for this device, even for a key it made itself.
    await fetchKeys();
  }

  /** Shows a message once (by author and id) and keeps it where this platform keeps such chat. */
  function add(entry: E2eeChatEntry, keep: boolean): void {
    if (store.getState().messages.some((x) => x.id === entry.id && x.from === entry.from)) return;
    store.setState((s) => ({ messages: [...s.messages, { ...entry, mine: entry.from === self }] }));
    if (keep) client.encryptionChatKeep({ meetingId, message: entry }).catch(fail);
  }

  function onChat(json: unknown, from: { identity: string; name?: string }): void {
    const envelope = E2eeChatEnvelopeSchema.safeParse(json);
    if (!envelope.success) return;
    void (async () => {
      let key = keys.get(envelope.data.generation);
      if (key === undefined) {
        await run(fetchKeys);
        key = keys.get(envelope.data.generation);
      }
      const message =
        key === undefined ? undefined : E2eeChatMessageSchema.safeParse(await openChat(key, envelope.data));
      if (message?.success !== true) {
        store.setState((s) => ({ unreadable: s.unreadable + 1 }));
        return;
      }
      add({ ...message.data, from: from.identity, name: from.name || from.identity }, true);
    })().catch(() => store.setState((s) => ({ unreadable: s.unreadable + 1 })));
  }

  return {
    store,
    /** LiveKit's `encryption` room option. */
    keyProvider,

    /** Before connecting: this device's key registered and named for the meeting, and any key already wrapped for it. */
    async prepare(): Promise<void> {
      const key = await deps.deviceKeys.load(self);
      const registered = await client.encryptionRegisterDevice({ params: {}, body: { publicKey: key.publicKey } });
      device = { ...key, id: registered.id };
      await client.encryptionAnnounceDevice({ params: { meetingId }, body: { deviceId: registered.id } });
      store.setState({ status: 'waiting' });
    },

    /** Once connected: follows the call's participants and the server's key news until `close`. */
    attach(r: Room): () => void {
      room = r;
      const check = () => void run(reconcile);
      r.on(RoomEvent.ParticipantConnected, check).on(RoomEvent.ParticipantDisconnected, check);
      const offChat = onTopic(r, CHAT, (json, sender) => onChat(json, sender));
      const offLive = client.onMeetingLive((message) => {
        if (message.type === 'e2ee.keys' && message.meetingId === meetingId) void run(fetchKeys);
      });
      const timer = setInterval(check, RECHECK_MS);
      // What this device kept of the meeting's chat before (an earlier call, or before a reload).
      client.encryptionChatHistory({ meetingId }).then(({ messages }) => {
        for (const m of messages) add(m, false);
      }, fail);
      void run(fetchKeys).then(check);
      return () => {
        closed = true;
        clearInterval(timer);
        offLive();
        offChat();
        r.off(RoomEvent.ParticipantConnected, check).off(RoomEvent.ParticipantDisconnected, check);
      };
    },

    /** Seals `text` with the newest key and sends it to everyone in the call. */
    async send(text: string): Promise<void> {
      const generation = store.getState().generation;
      const key = keys.get(generation);
      if (room === undefined || key === undefined) throw new Error('the meeting key has not arrived yet');
      const message = { id: crypto.randomUUID(), text, sentAt: new Date().toISOString() };
      await publishJson(room, CHAT, await sealChat(key, generation, message));
      add({ ...message, from: self, name: room.localParticipant.name || self }, true);
    },

    /** The code everyone in the call compares: the newest key and the devices of those present. */
    async verification(): Promise<Verification | null> {
      const generation = store.getState().generation;
      const key = keys.get(generation);
      if (key === undefined || room === undefined) return null;
      const present = new Map<string, string>([[self, room.localParticipant.name || self]]);
      for (const p of room.remoteParticipants.values()) present.set(p.identity, p.name || p.identity);
      devices = (await client.encryptionDevices({ params: { meetingId }, body: {} })).devices;
      const inCall = devices.filter((d) => present.has(d.userId));
      return {
        generation,
        code: await verificationCode({ meetingId, generation, meetingKey: key, participants: inCall }),
        participants: inCall.map((d) => present.get(d.userId) ?? d.userId),
      };
    },
  };
}

export type E2eeSession = ReturnType<typeof createE2eeSession>;
