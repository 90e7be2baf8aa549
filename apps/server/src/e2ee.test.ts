import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { AuthSession, E2eeDevice, Meeting } from '@tandem/shared';
import { dispose, Room } from '@livekit/rtc-node';
import { startLivekit, webhookPair, type RunningLivekit } from '@tandem/devstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, letIn, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

/** A fresh device public key as clients send it: P-256 SubjectPublicKeyInfo, base64. */
const publicKey = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .publicKey.export({ format: 'der', type: 'spki' })
    .toString('base64');
/** What a client's wrap looks like to the server: bytes it cannot read. */
const wrapped = (): string => randomBytes(60).toString('base64');

describe('end-to-end encryption keys over HTTP: devices, wrapped keys, and who gets them', () => {
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let linus: AuthSession;
  let guest: AuthSession;
  let outsider: AuthSession;
  let meeting: Meeting;
  const devices = new Map<string, E2eeDevice>();
  const t = (who: AuthSession) => who.tokens.accessToken;
  const params = () => ({ meetingId: meeting.id });

  async function device(who: AuthSession): Promise<E2eeDevice> {
    const d = await server.api.ok('registerE2eeDevice', { token: t(who), body: { publicKey: publicKey() } });
    devices.set(who.user.id, d);
    return d;
  }
  const deviceOf = (who: AuthSession): E2eeDevice => {
    const d = devices.get(who.user.id);
    if (d === undefined) throw new Error('no device');
    return d;
  };
  const announce = (who: AuthSession) =>
    server.api.call('announceE2eeDevice', { token: t(who), params: params(), body: { deviceId: deviceOf(who).id } });
  const post = (
    who: AuthSession,
    generation: number,
    to: readonly AuthSession[],
    kind: 'create' | 'share' = 'create',
  ) =>
    server.api.call('postE2eeKeys', {
      token: t(who),
      params: params(),
      body: {
        kind,
        generation,
        senderDeviceId: deviceOf(who).id,
        keys: to.map((r) => ({ deviceId: deviceOf(r).id, wrapped: wrapped() })),
      },
    });
  const keysOf = (who: AuthSession, deviceId = deviceOf(who).id) =>
    server.api.call('myE2eeKeys', { token: t(who), params: params(), query: { deviceId } });

  beforeAll(async () => {
    server = await startTestServer(livekit);
    ada = await signUp(server.api, 'e2ee-ada');
    grace = await addPerson(server.api, ada, 'e2ee-grace', 'member');
    linus = await addPerson(server.api, ada, 'e2ee-linus', 'member');
    guest = await addPerson(server.api, ada, 'e2ee-guest', 'guest');
    outsider = await signUp(server.api, 'e2ee-outsider');
    meeting = await server.api.ok('createMeeting', {
      token: t(ada),
      body: { title: 'Encrypted', settings: { e2ee: true }, invitees: [guest.user.id] },
    });
    for (const who of [ada, grace, linus, guest, outsider]) await device(who);
    await letIn(server.api, ada, ada, meeting.id);
    await letIn(server.api, ada, grace, meeting.id);
    await letIn(server.api, ada, linus, meeting.id);
  });
  afterAll(() => server?.close());

  it('registers a device by its P-256 public key once, and refuses anything else', async () => {
    const key = publicKey();
    const first = await server.api.ok('registerE2eeDevice', { token: t(ada), body: { publicKey: key } });
    expect(await server.api.ok('registerE2eeDevice', { token: t(ada), body: { publicKey: key } })).toEqual(first);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' });
    for (const bad of [rsa.toString('base64'), randomBytes(91).toString('base64'), 'not base64!']) {
      expect(await server.api.call('registerE2eeDevice', { token: t(ada), body: { publicKey: bad } })).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request' } },
      });
    }
  });

  it('distributes a generation wrapped per device to its recipient only, and tells them', async () => {
    for (const who of [ada, grace, linus]) expect(await announce(who)).toMatchObject({ status: 200 });
    const graceWs = await connectWs(server.url, t(grace));
    expect(await post(ada, 1, [ada, grace, linus])).toMatchObject({ status: 200 });
    await graceWs.next('e2ee.keys', (m) => m.meetingId === meeting.id && m.generation === 1);
    graceWs.close();

    const mine = await server.api.ok('myE2eeKeys', {
      token: t(grace),
      params: params(),
      query: { deviceId: deviceOf(grace).id },
    });
    expect(mine).toMatchObject({
      generation: 1,
      keys: [
        {
          generation: 1,
          senderUserId: ada.user.id,
          senderDeviceId: deviceOf(ada).id,
          senderPublicKey: deviceOf(ada).publicKey,
        },
      ],
    });
    const listed = await server.api.ok('listE2eeDevices', { token: t(linus), params: params() });
    expect(listed.generation).toBe(1);
    expect(new Set(listed.devices.map((d) => `${d.userId}:${d.generation}`))).toEqual(
      new Set([ada, grace, linus].map((who) => `${who.user.id}:1`)),
    );
    // Grace's device is Grace's: Linus cannot read what was wrapped for it, nor announce or send as it.
    expect(await keysOf(linus, deviceOf(grace).id)).toMatchObject({ status: 404 });
    expect(
      await server.api.call('announceE2eeDevice', {
        token: t(linus),
        params: params(),
        body: { deviceId: deviceOf(grace).id },
      }),
    ).toMatchObject({ status: 404 });
    expect(
      await server.api.call('postE2eeKeys', {
        token: t(linus),
        params: params(),
        body: {
          kind: 'share',
          generation: 1,
          senderDeviceId: deviceOf(grace).id,
          keys: [{ deviceId: deviceOf(linus).id, wrapped: wrapped() }],
        },
      }),
    ).toMatchObject({ status: 404 });
  });

  it('another organisation and a guest the lobby has not admitted get nothing', async () => {
    // The outsider cannot tell the meeting exists; the invited guest sees it but has not been let in.
    for (const [who, status] of [
      [outsider, 404],
      [guest, 403],
    ] as const) {
      expect(await announce(who)).toMatchObject({ status });
      expect(await keysOf(who)).toMatchObject({ status });
      expect(await server.api.call('listE2eeDevices', { token: t(who), params: params() })).toMatchObject({ status });
      expect(await post(who, 2, [ada])).toMatchObject({ status });
    }
    // A device not announced in the meeting cannot be a recipient.
    expect(await post(ada, 1, [outsider])).toMatchObject({ status: 400 });
  });

  it('keeps generations in order: one new generation wins, a device that lacks the newest cannot add to it', async () => {
    expect(await post(ada, 3, [ada])).toMatchObject({ status: 409 });
    const [first, second] = await Promise.all([post(grace, 2, [grace, linus]), post(linus, 2, [grace, linus])]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    // Ada does not hold generation 2, so she cannot wrap it for anyone; Grace and Linus can.
    expect(await post(ada, 2, [ada], 'share')).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(await post(grace, 2, [ada], 'share')).toMatchObject({ status: 200 });
    expect(await post(grace, 1, [ada], 'share')).toMatchObject({ status: 409 });
    expect(
      (
        await server.api.ok('myE2eeKeys', { token: t(ada), params: params(), query: { deviceId: deviceOf(ada).id } })
      ).keys.map((k) => k.generation),
    ).toEqual([2, 1]);
  });

  it('a removed person gets nothing more, and no key can be wrapped for them', async () => {
    await server.api.ok('removeParticipant', {
      token: t(ada),
      params: { meetingId: meeting.id, userId: linus.user.id },
      body: {},
    });
    expect(await keysOf(linus)).toMatchObject({ status: 403 });
    expect(await server.api.call('listE2eeDevices', { token: t(linus), params: params() })).toMatchObject({
      status: 403,
    });
    expect(await post(ada, 3, [ada, grace, linus])).toMatchObject({ status: 403 });
    expect(await post(ada, 3, [ada, grace])).toMatchObject({ status: 200 });
  });

  it('refuses breakout rooms in an encrypted meeting, with the reason', async () => {
    expect(
      await server.api.call('createBreakouts', {
        token: t(ada),
        params: params(),
        body: { rooms: [{ name: 'One' }, { name: 'Two' }], allowChoose: false },
      }),
    ).toMatchObject({ status: 409, body: { error: { message: expect.stringMatching(/end-to-end encrypted/) } } });
  });

  it('a meeting that is not encrypted has no keys, and an encrypted one refuses server chat with its reason', async () => {
    const plain = await server.api.ok('createMeeting', { token: t(ada), body: { title: 'Plain' } });
    expect(await server.api.call('listE2eeDevices', { token: t(ada), params: { meetingId: plain.id } })).toMatchObject({
      status: 409,
    });
    expect(
      await server.api.call('sendMessage', {
        token: t(ada),
        params: { conversationId: meeting.conversationId },
        body: { clientId: randomUUID(), body: 'in plain text?' },
      }),
    ).toMatchObject({ status: 403, body: { error: { message: expect.stringMatching(/end-to-end encrypted/) } } });
  });
});

describe('encryption is fixed while the call is on (LiveKit webhooks tell the server it is)', () => {
  let livekitWithHooks: RunningLivekit;
  let server: TestServer;

  beforeAll(async () => {
    [livekitWithHooks, server] = await webhookPair(
      '/livekit/webhook',
      (url) => startLivekit({ webhookUrls: [url] }),
      (livekit, port) => startTestServer(livekit, { port }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await dispose();
    await livekitWithHooks?.stop();
  });

  it('cannot be turned off while the call is on, though other settings change', async () => {
    const ada = await signUp(server.api, 'e2ee-live');
    const token = ada.tokens.accessToken;
    const live = await server.api.ok('createMeeting', { token, body: { title: 'Live', settings: { e2ee: true } } });
    const connection = await letIn(server.api, ada, ada, live.id);
    const room = new Room();
    await room.connect(connection.url, connection.token, { autoSubscribe: false, dynacast: false });
    try {
      await expect
        .poll(async () => (await server.api.ok('getMeeting', { token, params: { meetingId: live.id } })).status, {
          timeout: 20_000,
        })
        .toBe('live');
      expect(
        await server.api.call('updateMeeting', {
          token,
          params: { meetingId: live.id },
          body: { settings: { e2ee: false } },
        }),
      ).toMatchObject({ status: 409, body: { error: { message: expect.stringMatching(/during the call/) } } });
      await server.api.ok('updateMeeting', {
        token,
        params: { meetingId: live.id },
        body: { settings: { lobby: true } },
      });
    } finally {
      await room.disconnect();
    }
  });
});
