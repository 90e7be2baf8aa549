import { IPC_CHANNEL_NAMES, MAX_OVERLAY_ELEMENTS, PRESENCE_WATCH_LIMIT, type ManagedSettings } from '@tandem/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startCore, type Core } from '../core.ts';
import { silentLogger } from '../log.ts';
import { useTempFolder } from '../db/testing.ts';
import { headlessPlatform, type HeadlessPlatform } from '../platform/headless.ts';
import { ownUiOrigins } from '../security/uiOrigin.ts';
import { createIpcHandlers, type IpcHandler } from './handlers.ts';

const tempDir = useTempFolder('tandem-ipc-');
const UI = { url: 'app://tandem/index.html' };
let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

/** The real core on a real cache, signed out and with no server: what the registry does on its own. */
async function registry(policy?: ManagedSettings): Promise<{
  call: (channel: string, request: unknown, sender?: { url: string }) => ReturnType<IpcHandler>;
  platform: HeadlessPlatform;
}> {
  const platform = headlessPlatform();
  core = await startCore({ dataDir: tempDir(), platform, emit: () => {}, ...(policy ? { policy } : {}) });
  const handlers = createIpcHandlers(core.services, { isTrustedSender: ownUiOrigins(), log: silentLogger });
  expect([...handlers.keys()]).toEqual(IPC_CHANNEL_NAMES);
  return {
    platform,
    call: (channel, request, sender = UI) => {
      const handler = handlers.get(channel as never);
      if (handler === undefined) throw new Error(`no handler for ${channel}`);
      return handler(request, sender);
    },
  };
}

describe('IPC registry', () => {
  it('refuses a frame that is not our UI before looking at the request', async () => {
    const { call } = await registry();
    expect(await call('settings:get', {}, { url: 'https://evil.example/' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'not our UI' },
    });
  });

  it('answers an invalid request with bad_request and the field that is wrong', async () => {
    const { call } = await registry();
    const answer = await call('chat:list', { conversationId: 'c', limit: 100_000 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'bad_request', issues: [{ path: 'limit' }] } });
    expect(await call('settings:get', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('validates whom presence:watch names, and keeps a valid set while there is no socket', async () => {
    const { call } = await registry();
    const id = '018f0000-0000-7000-8000-000000000001';
    for (const request of [
      { userIds: ['not-an-id'] },
      { userIds: Array.from({ length: PRESENCE_WATCH_LIMIT + 1 }, () => id) },
      { userIds: [id], extra: true },
      {},
    ])
      expect(await call('presence:watch', request)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('presence:watch', { userIds: [id] })).toEqual({ ok: true, result: {} });
  });

  it('validates which lobby meetings:leaveLobby leaves, and needs a session for a valid one', async () => {
    const { call } = await registry();
    for (const request of [{ meetingId: 'not-an-id' }, { meetingId: '018f0000-0000-7000-8000-000000000002', x: 1 }, {}])
      expect(await call('meetings:leaveLobby', request)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // Signed out: the wait is dropped here, and the server cannot be told.
    expect(await call('meetings:leaveLobby', { meetingId: '018f0000-0000-7000-8000-000000000002' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('keeps settings in the cache', async () => {
    const { call } = await registry();
    expect(await call('settings:update', { video2160p: true })).toMatchObject({
      ok: true,
      result: { video2160p: true },
    });
    expect(await call('settings:get', undefined)).toMatchObject({
      ok: true,
      result: { video2160p: true, cameraId: null },
    });
  });

  it('keeps the push-to-talk key, and refuses one that types at the boundary', async () => {
    const { call } = await registry();
    expect(await call('settings:get', undefined)).toMatchObject({ ok: true, result: { pushToTalkKey: 'Space' } });
    expect(await call('settings:update', { pushToTalkKey: 'F8' })).toMatchObject({
      ok: true,
      result: { pushToTalkKey: 'F8' },
    });
    expect(await call('settings:update', { pushToTalkKey: 'KeyA' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', issues: [{ path: 'pushToTalkKey' }] },
    });
    expect(await call('settings:get', undefined)).toMatchObject({ ok: true, result: { pushToTalkKey: 'F8' } });
  });

  it('opens allowlisted links in the OS and refuses the rest', async () => {
    const { call, platform } = await registry();
    expect(await call('shell:openExternal', { url: 'https://meet.google.com/abc-defg-hij' })).toEqual({
      ok: true,
      result: {},
    });
    expect(await call('shell:openExternal', { url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(platform.openedLinks).toEqual(['https://meet.google.com/abc-defg-hij']);
  });

  it('says who is missing when signed out, and still searches the cache', async () => {
    const { call } = await registry();
    expect(await call('auth:session', {})).toEqual({ ok: true, result: { session: null, needsSignIn: false } });
    expect(await call('chat:send', { conversationId: 'c', body: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await call('search:everything', { query: 'anything' })).toEqual({
      ok: true,
      result: { messages: [], files: [], channels: [], people: [], transcripts: [], scope: 'device' },
    });
    expect(await call('transcripts:get', { meetingId: 'm' })).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await call('connection:status', {})).toEqual({ ok: true, result: { status: 'offline' } });
    expect(await call('meetings:join', { codeOrLink: 'not a code!' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', issues: [{ path: 'codeOrLink' }] },
    });
  });
});

describe('IPC registry under an IT policy', () => {
  const policy: ManagedSettings = {
    values: { serverUrl: 'https://tandem.corp.example', allow2160p: false },
    locked: ['serverUrl', 'allow2160p'],
  };

  it('tells the renderer what is locked and enforces it in main', async () => {
    const { call } = await registry(policy);
    expect(await call('policy:get', {})).toEqual({ ok: true, result: policy });
    expect(
      await call('auth:signIn', { serverUrl: 'https://elsewhere.example', email: 'a@b.example', password: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden', issues: [{ path: 'serverUrl' }] } });
    expect(await call('settings:update', { video2160p: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await call('settings:get', {})).toMatchObject({ ok: true, result: { video2160p: false } });
  });

  it('lists no screens to share when the policy turns screen sharing off', async () => {
    const open = await registry();
    expect(await open.call('screen:sources', {})).toEqual({ ok: true, result: { sources: [] } });
    await core?.close();
    const { call } = await registry({ values: { screenShare: 'nobody' }, locked: ['screenShare'] });
    expect(await call('screen:sources', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('IPC registry: the annotation overlay', () => {
  const stroke = (id: string, points: number) => ({
    id,
    authorId: 'viewer',
    version: 1,
    versionNonce: 1,
    index: 0,
    isDeleted: false,
    color: '#00ff00',
    strokeWidth: 0.004,
    kind: 'pen',
    points: Array.from({ length: points }, () => [0.5, 0.5]),
  });

  it('answers unavailable where there are no overlay windows (the browser harness)', async () => {
    const { call } = await registry();
    expect(await call('overlay:open', { sourceId: 'screen:1:0' })).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    expect(await call('overlay:scene', { elements: [stroke('s', 2)] })).toEqual({ ok: true, result: {} });
    expect(await call('overlay:close', {})).toEqual({ ok: true, result: {} });
  });

  it('refuses a target that is neither a source nor bounds, and bounds that are no area', async () => {
    const { call } = await registry();
    expect(await call('overlay:open', {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await call('overlay:open', { bounds: { x: 0, y: 0, width: 0, height: 10 } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('validates scenes with the shared element schema and bounds their size', async () => {
    const { call } = await registry();
    expect(await call('overlay:scene', { elements: [{ ...stroke('s', 2), color: 'red' }] })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', issues: [{ path: 'elements.0.color' }] },
    });
    const many = Array.from({ length: MAX_OVERLAY_ELEMENTS + 1 }, (_, i) => stroke(`s${i}`, 1));
    expect(await call('overlay:scene', { elements: many })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', issues: [{ path: 'elements' }] },
    });
    const heavy = Array.from({ length: 11 }, (_, i) => stroke(`h${i}`, 20_000));
    expect(await call('overlay:scene', { elements: heavy })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', issues: [{ path: 'elements' }] },
    });
  });
});
