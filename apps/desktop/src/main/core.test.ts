import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DECISION_PAGE_LIMIT } from '@tandem/shared';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startCore } from './core.ts';
import { fakeKeyStoreCipher, headlessPlatform } from './platform/headless.ts';
import { createApiClient } from './services/apiClient.ts';
import { PASSWORD, desktopWorld, twoPeople, until, type TestDesktop } from './testing/realServer.ts';

const livekit = inject('livekit');
const world = desktopWorld(livekit, 'core');
afterEach(() => world.close());

async function setUp(options: { accessTtlSeconds?: number } = {}) {
  await world.start(options);
  return twoPeople(world.server.url);
}

const desktop = (name: string, key: Buffer, fetchImpl?: typeof fetch) => world.desktop(name, key, fetchImpl);

const bodies = async (d: TestDesktop, conversationId: string) =>
  (await d.core.services.chat.list({ conversationId, limit: 100 })).map((m) => m.body);

describe('desktop core against the real coordination server', () => {
  it('delivers messages written offline once, in order, after both the server and the app restart', async () => {
    const { alice, bob } = await setUp();
    const aliceKey = crypto.randomBytes(32);
    let a = await desktop('alice', aliceKey);
    const b = await desktop('bob', crypto.randomBytes(32));
    await a.core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    await b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    const channel = await createApiClient(world.server.url).call(
      'createChannel',
      { body: { name: 'general' } },
      alice.tokens.accessToken,
    );
    await until('both online', async () => [a, b].every((d) => d.core.services.connection.status() === 'online'));
    await a.core.services.chat.open(channel.id);
    await b.core.services.chat.open(channel.id);

    await a.core.services.chat.send({ conversationId: channel.id, body: 'hello' });
    await until('bob sees hello', async () => (await bodies(b, channel.id)).includes('hello'));

    await world.server.stop();
    await until('alice notices', async () => a.core.services.connection.status() !== 'online');
    const first = await a.core.services.chat.send({ conversationId: channel.id, body: 'offline one' });
    await a.core.services.chat.send({ conversationId: channel.id, body: 'offline two' });
    expect(first.status).toBe('pending');
    // Searchable offline, straight from the cache.
    expect((await a.core.services.chat.search({ query: 'offline', limit: 10 })).messages.length).toBe(2);

    // The app restarts while offline: the outbox is in the cache, the tokens in the key store.
    await a.core.close();
    world.forget(a);
    a = await desktop('alice', aliceKey);
    expect(a.core.services.auth.needsSignIn()).toBe(false);
    // What was open last renders from the cache alone: the server is still down.
    expect((await a.core.services.chat.conversations()).map((c) => c.id)).toContain(channel.id);
    expect(await bodies(a, channel.id)).toEqual(['hello', 'offline one', 'offline two']);

    await world.server.restart();
    await until('bob gets both, after hello', async () => (await bodies(b, channel.id)).length === 3);
    expect(await bodies(b, channel.id)).toEqual(['hello', 'offline one', 'offline two']);
    await until('alice sees them acknowledged', async () =>
      (await a.core.services.chat.list({ conversationId: channel.id, limit: 10 })).every((m) => m.status === 'sent'),
    );
    const history = await createApiClient(world.server.url).call(
      'history',
      { params: { conversationId: channel.id }, query: { since: 0 } },
      bob.tokens.accessToken,
    );
    expect(history.events.map((e) => (e.type === 'message' ? e.body : e.type))).toEqual([
      'hello',
      'offline one',
      'offline two',
    ]);
  });

  it('reconnects at once when the computer wakes from sleep, instead of waiting out its backoff, and catches up on what it missed', async () => {
    const { alice, bob } = await setUp();
    const api = createApiClient(world.server.url);
    const channel = await api.call('createChannel', { body: { name: 'standup' } }, alice.tokens.accessToken);
    const cached = async () =>
      (await core.services.chat.list({ conversationId: channel.id, limit: 10 })).map((m) => m.body);
    const platform = headlessPlatform({ secretCipher: fakeKeyStoreCipher(crypto.randomBytes(32)) });
    // Its next try after losing the server is a minute away.
    const core = await startCore({
      dataDir: path.join(world.dir, 'sleeper'),
      platform,
      emit: () => undefined,
      reconnect: { initialMs: 60_000, maxMs: 60_000 },
    });
    try {
      await core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
      await until('online', async () => core.services.connection.status() === 'online');
      // Awake and connected, waking replaces the socket (it may be dead without knowing) and comes back.
      platform.wake();
      await until('online after a wake while connected', async () => core.services.connection.status() === 'online');

      await world.server.stop();
      await until('the loss noticed', async () => core.services.connection.status() !== 'online');
      await world.server.restart();
      // Written while the computer slept: only catching up can bring it.
      await api.call(
        'sendMessage',
        { params: { conversationId: channel.id }, body: { clientId: crypto.randomUUID(), body: 'while you slept' } },
        bob.tokens.accessToken,
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(core.services.connection.status()).not.toBe('online');
      expect(await cached()).toEqual([]);
      platform.wake();
      await until('online within seconds of waking', async () => core.services.connection.status() === 'online', 5_000);
      await until(
        'the message written meanwhile is in the cache',
        async () => (await cached()).includes('while you slept'),
        5_000,
      );
    } finally {
      await core.close();
    }
  });

  it('shows the person away to the others while the screen is locked, and online again when it unlocks', async () => {
    const { alice, bob } = await setUp();
    const platform = headlessPlatform({ secretCipher: fakeKeyStoreCipher(crypto.randomBytes(32)) });
    const core = await startCore({ dataDir: path.join(world.dir, 'locker'), platform, emit: () => undefined });
    const api = createApiClient(world.server.url);
    const aliceAsBobSees = async () =>
      (await api.call('listPresence', undefined, bob.tokens.accessToken)).presence.find(
        (p) => p.userId === alice.user.id,
      )?.status;
    try {
      await core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
      await until('online', async () => (await aliceAsBobSees()) === 'online');
      platform.lockScreen(true);
      await until('away while locked', async () => (await aliceAsBobSees()) === 'away');
      platform.lockScreen(false);
      await until('online again', async () => (await aliceAsBobSees()) === 'online');
    } finally {
      await core.close();
    }
  });

  it('counts on the app icon, the taskbar and the tray what Teams and Slack count (unread direct messages and mentions), and sets the status from the tray', async () => {
    const { alice, bob } = await setUp();
    const platform = headlessPlatform({ secretCipher: fakeKeyStoreCipher(crypto.randomBytes(32)) });
    const core = await startCore({ dataDir: path.join(world.dir, 'badged'), platform, emit: () => undefined });
    const api = createApiClient(world.server.url);
    const send = (conversationId: string, body: string) =>
      api.call(
        'sendMessage',
        { params: { conversationId }, body: { clientId: crypto.randomUUID(), body } },
        bob.tokens.accessToken,
      );
    const badge = () => platform.badges.at(-1) ?? 0;
    try {
      const channel = await api.call('createChannel', { body: { name: 'random' } }, alice.tokens.accessToken);
      const direct = await api.call('startDirect', { body: { userId: alice.user.id } }, bob.tokens.accessToken);
      await core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
      await until('online', async () => core.services.connection.status() === 'online');

      await send(direct.id, 'Got a minute?');
      await until('one direct message', async () => badge() === 1);
      await send(channel.id, 'Lunch anyone?');
      await send(channel.id, `@${alice.user.name} can you look at the build?`);
      await until('and one mention', async () => badge() === 2);
      await until('the tray says it too', async () => platform.tray.model?.tooltip === 'Tandem: Available, 2 unread');
      expect(platform.tray.model?.icon).toEqual({ status: 'available', unread: true });
      // Windows' taskbar: the count drawn as an overlay icon, its words in the app's language.
      const overlay = () => platform.taskbarOverlays.at(-1);
      await until('the taskbar says it', async () => overlay()?.description === '2 unread messages');
      expect(overlay()?.png.subarray(1, 4).toString('ascii')).toBe('PNG');
      await core.services.settings.update({ language: 'de' });
      await until('in German', async () => overlay()?.description === '2 ungelesene Nachrichten');
      await core.services.settings.update({ language: 'en' });
      await core.services.chat.markRead(direct.id);
      await until('the direct message read', async () => badge() === 1);
      await until('one on the taskbar', async () => overlay()?.description === '1 unread message');

      // Do not disturb from the tray reaches the server, and the tray follows.
      platform.tray.click('dnd');
      await until(
        'do not disturb',
        async () =>
          platform.tray.model?.icon.status === 'dnd' &&
          platform.tray.model.icon.unread &&
          platform.tray.model.tooltip.includes('Do not disturb'),
      );
      const aliceSeenByBob = (await api.call('listPresence', undefined, bob.tokens.accessToken)).presence.find(
        (p) => p.userId === alice.user.id,
      );
      expect(aliceSeenByBob?.status).toBe('dnd');
      // Busy from the tray: ticked, drawn, and what Bob sees.
      platform.tray.click('busy');
      const ticked = () =>
        platform.tray.model?.items.flatMap((i) => (i.kind === 'action' && i.checked === true ? [i.action] : []));
      await until('busy', async () => platform.tray.model?.tooltip === 'Tandem: Busy, 1 unread');
      expect(ticked()).toEqual(['busy']);
      expect(platform.tray.model?.icon).toEqual({ status: 'busy', unread: true });
      const aliceBusyToBob = (await api.call('listPresence', undefined, bob.tokens.accessToken)).presence.find(
        (p) => p.userId === alice.user.id,
      );
      expect(aliceBusyToBob).toMatchObject({ status: 'busy', chosen: 'busy' });
      platform.tray.click('available');
      await until('available again', async () => platform.tray.model?.tooltip === 'Tandem: Available, 1 unread');
      expect(ticked()).toEqual(['available']);
      await core.services.auth.signOut();
      await until(
        'nothing once signed out',
        async () => badge() === 0 && platform.tray.model?.icon.status === 'signed-out',
      );
      expect(overlay()).toBeNull();
    } finally {
      await core.close();
    }
  });

  it('stays connected following 600 conversations and resumes what it missed from one cursor', async () => {
    // Once a person followed more than about 240 conversations, the per-conversation subscribe
    // frame outgrew the server's 16 KB limit and the app reconnected forever.
    const { alice, bob } = await setUp();
    const api = createApiClient(world.server.url);
    const channels: string[] = [];
    for (let i = 0; i < 600; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          api.call('createChannel', { body: { name: `topic ${i + j}` } }, alice.tokens.accessToken),
        ),
      );
      channels.push(...batch.map((c) => c.id));
    }
    const key = crypto.randomBytes(32);
    let b = await desktop('bob', key);
    await b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    await until('bob online', async () => b.core.services.connection.status() === 'online');
    const say = (conversationId: string, body: string) =>
      api.call(
        'sendMessage',
        { params: { conversationId }, body: { clientId: crypto.randomUUID(), body } },
        alice.tokens.accessToken,
      );
    await say(channels[0] ?? '', 'while bob is here');
    await until('bob hears it live', async () => (await bodies(b, channels[0] ?? '')).length === 1);

    // Bob's app is closed while every channel gets a message; it starts again and resumes.
    await b.core.close();
    world.forget(b);
    for (let i = 0; i < channels.length; i += 20) {
      await Promise.all(channels.slice(i, i + 20).map((id, j) => say(id, `missed ${i + j}`)));
    }
    b = await desktop('bob', key);
    await until('bob online again', async () => b.core.services.connection.status() === 'online');
    await until('every channel current', async () => {
      const last = await Promise.all(channels.map((id) => bodies(b, id).then((all) => all.at(-1))));
      return last.every((body, i) => body === `missed ${i}`);
    });
    expect(await bodies(b, channels[0] ?? '')).toEqual(['while bob is here', 'missed 0']);
    // No reconnect loop: it came online once and stayed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(b.eventsOf('connection:changed').map((e) => e.status)).toEqual(['online']);
  }, 120_000);

  it('resends a message whose answer was lost with the same id, and it is stored once', async () => {
    const { alice } = await setUp();
    let dropped = false;
    // Real HTTP to the real server; only the first send's answer is lost on the way back.
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!dropped && init?.method === 'POST' && String(input).endsWith('/messages')) {
        dropped = true;
        throw new TypeError('connection reset');
      }
      return response;
    };
    const a = await desktop('alice', crypto.randomBytes(32), losingFetch);
    await a.core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    const channel = await createApiClient(world.server.url).call(
      'createChannel',
      { body: { name: 'general' } },
      alice.tokens.accessToken,
    );
    await a.core.services.chat.open(channel.id);
    await a.core.services.chat.send({ conversationId: channel.id, body: 'only once' });
    await until('acknowledged', async () =>
      (await a.core.services.chat.list({ conversationId: channel.id, limit: 10 })).every((m) => m.status === 'sent'),
    );
    expect(dropped).toBe(true);
    const history = await createApiClient(world.server.url).call(
      'history',
      { params: { conversationId: channel.id }, query: { since: 0 } },
      alice.tokens.accessToken,
    );
    expect(history.events).toHaveLength(1);
    expect(await bodies(a, channel.id)).toEqual(['only once']);
  });

  it('keeps the decisions by reading only what changed at each reconnect, a page at a time the first time', async () => {
    const { alice, bob } = await setUp();
    const api = createApiClient(world.server.url);
    const owner = alice.tokens.accessToken;
    const decide = (title: string) =>
      api.call('createDecision', { body: { clientId: crypto.randomUUID(), title } }, owner);
    await decide('Hire two designers');
    await decide('Move the offsite to May');
    /** The decision reads the desktop made: the query of each `GET /decisions`. */
    const reads: string[] = [];
    const counting: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/decisions' && (init?.method ?? 'GET') === 'GET') reads.push(url.search);
      return fetch(input, init);
    };
    const b = await desktop('bob', crypto.randomBytes(32), counting);
    await b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    await until('bob has both decisions', async () => (await b.core.services.decisions.list()).length === 2);
    // The first read: all of them, in pages.
    expect(reads).toEqual([`?limit=${DECISION_PAGE_LIMIT}`]);

    await decide('Ship v2 in March');
    // A role change closes Bob's socket: the reconnect reads the decisions from where they stood.
    await api.call('updateUser', { params: { userId: bob.user.id }, body: { role: 'admin' } }, owner);
    await until('bob read again', async () => reads.length === 2);
    expect(reads[1]).toMatch(new RegExp(`^\\?since=\\d+&limit=${DECISION_PAGE_LIMIT}$`));
    const since = Number(new URLSearchParams(reads[1]).get('since'));
    // What that read answered: the one decided since, not the organisation's decisions again.
    const changed = await api.call('listDecisions', { query: { since } }, owner);
    expect(changed.decisions.map((d) => d.title)).toEqual(['Ship v2 in March']);
    await until('bob has all three', async () => (await b.core.services.decisions.list()).length === 3);
  });

  it('shares decisions both ways and joins the personal room with a LiveKit token', async () => {
    const { alice, bob } = await setUp();
    const a = await desktop('alice', crypto.randomBytes(32));
    const b = await desktop('bob', crypto.randomBytes(32));
    await a.core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    await b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    await until('both online', async () => [a, b].every((d) => d.core.services.connection.status() === 'online'));

    const created = await a.core.services.decisions.create({ title: 'Ship v1 on Friday', meetingId: null });
    expect(created.deliveryStatus).toBe('pending');
    const seen = await until('bob has the decision', async () =>
      (await b.core.services.decisions.list()).find((d) => d.title === 'Ship v1 on Friday'),
    );
    await b.core.services.decisions.update(seen.clientId, { status: 'agreed' });
    await until('alice sees it agreed', async () =>
      (await a.core.services.decisions.list()).find((d) => d.status === 'agreed' && d.deliveryStatus === 'sent'),
    );
    expect(await a.core.services.decisions.list()).toHaveLength(1);

    await until('personal room cached', async () => (await a.core.services.meetings.list()).personalRoom);
    const { personalRoom } = await a.core.services.meetings.list();
    const joined = await b.core.services.meetings.join(`tandem://join/${personalRoom?.joinCode ?? ''}`);
    expect(joined.status).toBe('joined');
    if (joined.status !== 'joined') return;
    expect(joined.call.livekit.url).toBe(livekit.wsUrl);
    expect(joined.call.meeting.id).toBe(personalRoom?.id);
  });
});

describe('session', () => {
  it('keeps working on short-lived tokens: refreshes, reconnects, and never writes a token in plain text', async () => {
    const { alice } = await setUp({ accessTtlSeconds: 2 });
    const key = crypto.randomBytes(32);
    const a = await desktop('alice', key);
    await a.core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    // Made by the app itself, which refreshes as it needs: on a loaded machine the test's own
    // 2-second token could lapse before its first request.
    const channel = await a.core.services.chat.createChannel({ name: 'general' });
    await a.core.services.chat.open(channel.id);
    // Outlive the first access token (the server closes the socket with 4401 when it lapses).
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await a.core.services.chat.send({ conversationId: channel.id, body: 'after expiry' });
    await until('sent with a refreshed token', async () =>
      (await a.core.services.chat.list({ conversationId: channel.id, limit: 10 })).every((m) => m.status === 'sent'),
    );
    await until('socket back online', async () => a.core.services.connection.status() === 'online');

    // The tokens the app holds now, read back through the (fake) OS key store…
    const sealed = JSON.parse(fs.readFileSync(path.join(world.dir, 'alice', 'secrets.bin'), 'utf8')) as Record<
      string,
      string
    >;
    const tokens = JSON.parse(fakeKeyStoreCipher(key).decrypt(Buffer.from(sealed['tokens'] ?? '', 'base64'))) as {
      accessToken: string;
      refreshToken: string;
    };
    expect(tokens.accessToken.length).toBeGreaterThan(10);
    // …appear nowhere in the data folder in plain text: not in the cache, its WAL, or the secrets file.
    const onDisk = fs
      .readdirSync(path.join(world.dir, 'alice'), { recursive: true, encoding: 'utf8' })
      .map((name) => path.join(world.dir, 'alice', name))
      .filter((file) => fs.statSync(file).isFile())
      .map((file) => fs.readFileSync(file).toString('latin1'))
      .join('\n');
    expect(onDisk).not.toContain(tokens.accessToken);
    expect(onDisk).not.toContain(tokens.refreshToken);
  });

  it('without an OS key store, a restart keeps the cache and the user but asks for the password', async () => {
    const { alice } = await setUp();
    const dataDir = path.join(world.dir, 'alice');
    const first = await startCore({ dataDir, platform: headlessPlatform(), emit: () => {} });
    await first.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    expect(first.services.auth.needsSignIn()).toBe(false);
    await first.close();
    const second = await startCore({ dataDir, platform: headlessPlatform(), emit: () => {} });
    try {
      expect(second.services.auth.session()?.user.id).toBe(alice.user.id);
      expect(second.services.auth.needsSignIn()).toBe(true);
      expect(fs.readdirSync(dataDir)).not.toContain('secrets.bin');
    } finally {
      await second.close();
    }
  });

  it('signing out forgets the user and the cache, but not the device settings', async () => {
    const { alice } = await setUp();
    const a = await desktop('alice', crypto.randomBytes(32));
    await a.core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    await a.core.services.settings.update({ video2160p: true });
    await a.core.services.decisions.create({ title: 'Keep me offline', meetingId: null });
    await a.core.services.auth.signOut();
    expect(a.core.services.auth.session()).toBeNull();
    expect(await a.core.services.decisions.list()).toEqual([]);
    expect((await a.core.services.settings.get()).video2160p).toBe(true);
    expect(a.eventsOf('auth:ended')).toEqual([{ reason: 'signedOut' }]);
  });

  // Issue 13 item 10: the renderer's connect-src follows the session; plain http only on loopback.
  it('knows where the renderer may connect: the server and its LiveKit URL, learned at sign-in and kept over a restart', async () => {
    const { alice } = await setUp();
    const key = crypto.randomBytes(32);
    let a = await desktop('alice', key);
    expect(a.core.services.auth.connectTargets()).toEqual({ serverUrl: null, livekitUrls: [] });
    await expect(
      a.core.services.auth.signIn('http://tandem.example.com', alice.user.email, PASSWORD),
    ).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/^Plain http is not secure/) as unknown,
    });
    await a.core.services.auth.signIn(`${world.server.url}/`, alice.user.email, PASSWORD);
    expect(a.core.services.auth.connectTargets()).toEqual({
      serverUrl: world.server.url,
      livekitUrls: [livekit.wsUrl],
    });
    await a.core.close();
    a = await desktop('alice', key);
    expect(a.core.services.auth.connectTargets()).toEqual({
      serverUrl: world.server.url,
      livekitUrls: [livekit.wsUrl],
    });
    await a.core.services.auth.signOut();
    expect(a.core.services.auth.connectTargets()).toEqual({ serverUrl: null, livekitUrls: [] });
  });
});

describe('integrations', () => {
  it('names the author of a message an API key wrote, though the people list leaves such accounts out', async () => {
    const { alice } = await setUp();
    const api = createApiClient(world.server.url);
    const { key } = await api.call(
      'createApiKey',
      { body: { name: 'Build bot', scopes: ['chat:write'] } },
      alice.tokens.accessToken,
    );
    const channel = await api.call('createChannel', { body: { name: 'builds' } }, alice.tokens.accessToken);
    const a = await desktop('alice', crypto.randomBytes(32));
    await a.core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    await until('online', async () => a.core.services.connection.status() === 'online');
    await api.call(
      'sendMessage',
      { params: { conversationId: channel.id }, body: { clientId: crypto.randomUUID(), body: 'Build 42 passed' } },
      key,
    );
    const [message] = await until('the message arrived', async () => {
      const messages = await a.core.services.chat.list({ conversationId: channel.id, limit: 10 });
      return messages.length > 0 ? messages : undefined;
    });
    expect(message).toMatchObject({ body: 'Build 42 passed', authorName: 'Build bot (integration)' });
  });
});

describe('lobby', () => {
  it('completes a waiting join when a host admits, with a LiveKit token pushed to the renderer', async () => {
    const { alice, bob } = await setUp();
    const a = await desktop('alice', crypto.randomBytes(32));
    const b = await desktop('bob', crypto.randomBytes(32));
    await b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    await a.core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    await until('bob online', async () => b.core.services.connection.status() === 'online');
    const meeting = await a.core.services.meetings.create({ title: 'Gated', settings: { lobby: true } });

    const waiting = await b.core.services.meetings.join(meeting.joinCode, { displayName: 'Bob from Sales' });
    expect(waiting.status).toBe('waiting');
    const api = createApiClient(world.server.url);
    const { entries } = await api.call('listLobby', { params: { meetingId: meeting.id } }, alice.tokens.accessToken);
    const entry = entries.find((e) => e.userId === bob.user.id);
    // The host sees who waits by the name chosen at pre-join.
    expect(entry?.name).toBe('Bob from Sales');
    await api.call(
      'admit',
      { params: { meetingId: meeting.id, entryId: entry?.id ?? '' }, body: {} },
      alice.tokens.accessToken,
    );
    const admitted = await until('bob admitted', async () => b.eventsOf('meeting:admission')[0]);
    expect(admitted).toMatchObject({ status: 'admitted', call: { meeting: { id: meeting.id } } });
    if (admitted.status !== 'admitted') return;
    // Admission asks again the same way: the LiveKit token names Bob as he chose.
    const claims = JSON.parse(Buffer.from(admitted.call.livekit.token.split('.')[1] ?? '', 'base64url').toString()) as {
      sub: string;
      name: string;
    };
    expect(claims).toMatchObject({ sub: bob.user.id, name: 'Bob from Sales' });
  });

  it('admitted while its socket was away, it is let in by the socket that comes back (auth.awaiting), with no join of its own', async () => {
    const { alice, bob } = await setUp();
    const joins: string[] = [];
    // Every request main makes, counted where it leaves: the joins are what this test is about.
    const counting: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if ((init?.method ?? 'GET') === 'POST' && /\/meetings\/[^/]+\/join$/.test(new URL(url).pathname)) joins.push(url);
      return fetch(input, init);
    };
    const events: { event: string; payload: unknown }[] = [];
    const platform = headlessPlatform({ secretCipher: fakeKeyStoreCipher(crypto.randomBytes(32)) });
    // Its next try after losing the server is a minute away: only a wake brings it back in time.
    const core = await startCore({
      dataDir: path.join(world.dir, 'waiter'),
      platform,
      emit: (event, payload) => void events.push({ event, payload }),
      reconnect: { initialMs: 60_000, maxMs: 60_000 },
      fetch: counting,
    });
    try {
      await core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
      await until('online', async () => core.services.connection.status() === 'online');
      const api = createApiClient(world.server.url);
      const meeting = await api.call(
        'createMeeting',
        { body: { title: 'Gated', settings: { lobby: true } } },
        alice.tokens.accessToken,
      );
      expect(await core.services.meetings.join(meeting.joinCode, { displayName: 'Bob from Sales' })).toMatchObject({
        status: 'waiting',
      });
      expect(joins).toHaveLength(1);

      await world.server.stop();
      await until('the loss noticed', async () => core.services.connection.status() !== 'online');
      await world.server.restart();
      // Alice lets Bob in while his socket is away: the lobby.entry saying so reaches no socket of his.
      const { entries } = await api.call('listLobby', { params: { meetingId: meeting.id } }, alice.tokens.accessToken);
      const entry = entries.find((e) => e.userId === bob.user.id);
      await api.call(
        'admit',
        { params: { meetingId: meeting.id, entryId: entry?.id ?? '' }, body: {} },
        alice.tokens.accessToken,
      );
      platform.wake();
      const admitted = await until('Bob admitted', async () => events.find((e) => e.event === 'meeting:admission'));
      expect(admitted.payload).toMatchObject({ status: 'admitted', call: { meeting: { id: meeting.id } } });
      // The socket named the lobby and the server joined him there: no join of his own after the knock.
      expect(joins).toHaveLength(1);
      const { call } = admitted.payload as { call: { livekit: { token: string } } };
      const claims = JSON.parse(Buffer.from(call.livekit.token.split('.')[1] ?? '', 'base64url').toString()) as {
        sub: string;
        name: string;
      };
      expect(claims).toMatchObject({ sub: bob.user.id, name: 'Bob from Sales' });
    } finally {
      await core.close();
    }
  });
});

describe('deep links from the OS', () => {
  it('keeps a link that launched the app until sign-in, reports a malformed one, and pushes live ones', async () => {
    const { alice } = await setUp();
    const events: { event: string; payload: unknown }[] = [];
    const platform = headlessPlatform({ argv: ['/usr/bin/tandem', 'tandem://join/launch-code'] });
    const core = await startCore({
      dataDir: path.join(world.dir, 'alice'),
      platform,
      emit: (event, payload) => void events.push({ event, payload }),
    });
    try {
      // Signed out: the join waits; the renderer listens from its first take.
      expect(core.services.deepLinks.take()).toEqual({ join: null, refused: null });
      platform.openUrl('tandem://join/%%%');
      expect(events).toEqual([{ event: 'deepLink:refused', payload: { link: 'tandem://join/%%%' } }]);
      await core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
      expect(core.services.deepLinks.take()).toEqual({ join: { code: 'launch-code' }, refused: null });
      platform.secondInstance(['/usr/bin/tandem', '--', 'tandem://join/second-code']);
      expect(events.at(-1)).toEqual({ event: 'deepLink:join', payload: { code: 'second-code' } });
    } finally {
      await core.close();
    }
  });
});

describe('invitations', () => {
  it('an invitation reaches the invitee’s upcoming meetings live with its organiser, and leaves when uninvited', async () => {
    const { alice, bob } = await setUp();
    const a = await desktop('alice', crypto.randomBytes(32));
    const b = await desktop('bob', crypto.randomBytes(32));
    await a.core.services.auth.signIn(world.server.url, alice.user.email, PASSWORD);
    await b.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    await until('both online', async () => [a, b].every((d) => d.core.services.connection.status() === 'online'));
    const upcoming = async (d: TestDesktop) => (await d.core.services.meetings.list()).upcoming.map((m) => m.title);

    await a.core.services.meetings.create({ title: 'Alice alone' });
    const invited = await a.core.services.meetings.create({ title: 'Planning', invitees: [bob.user.id] });
    await until('bob is invited', async () => (await upcoming(b)).includes('Planning'));
    expect(await upcoming(b)).toEqual(['Planning']);
    expect((await b.core.services.meetings.list()).organisers).toEqual({ [alice.user.id]: 'Alice' });
    expect((await upcoming(a)).sort()).toEqual(['Alice alone', 'Planning']);

    await a.core.services.meetings.update(invited.id, { invitees: [] });
    await until('bob is uninvited', async () => !(await upcoming(b)).includes('Planning'));
  });
});
