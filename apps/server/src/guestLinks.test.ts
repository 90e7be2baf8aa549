import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  JoinLandingSchema,
  MAX_AWAITED_LOBBIES,
  WS_CLOSE,
  type AuthSession,
  type GuestJoinResult,
  type Meeting,
} from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, drained, resume, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

/** A built script big enough to be worth compressing (and compressing well). */
const BIG_SCRIPT = Array.from({ length: 400 }, (_, i) => `export const value${i} = 'a line of the bundle, ${i}';`).join(
  '\n',
);

describe('https join links and external guests, over real HTTP and WebSocket', () => {
  let server: TestServer;
  let owner: AuthSession;
  let member: AuthSession;
  let meeting: Meeting;
  let other: Meeting;
  let channelId: string;
  let webAppDir: string;

  beforeAll(async () => {
    webAppDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-web-'));
    fs.mkdirSync(path.join(webAppDir, 'assets'));
    fs.writeFileSync(
      path.join(webAppDir, 'index.html'),
      '<!doctype html><html><head><title>app</title><script type="module" crossorigin src="./assets/main-abc123.js"></script>' +
        '<link rel="stylesheet" crossorigin href="./assets/main-abc123.css"></head><body><div id="root"></div></body></html>',
    );
    fs.writeFileSync(path.join(webAppDir, 'assets', 'main-abc123.js'), 'export {};');
    fs.writeFileSync(path.join(webAppDir, 'assets', 'big-4.js'), BIG_SCRIPT);
    // The build's manifest as Vite writes it: the call screen, its own chunks, and one shared with the start.
    fs.mkdirSync(path.join(webAppDir, '.vite'));
    fs.writeFileSync(
      path.join(webAppDir, '.vite', 'manifest.json'),
      JSON.stringify({
        'index.html': { file: 'assets/main-abc123.js', imports: ['_shared-1.js'], isEntry: true },
        '_shared-1.js': { file: 'assets/shared-1.js' },
        '_livekit-2.js': { file: 'assets/livekit-2.js', imports: ['_shared-1.js'] },
        'src/renderer/call/CallView.tsx': {
          file: 'assets/CallView-3.js',
          imports: ['index.html', '_livekit-2.js', '_shared-1.js'],
          css: ['assets/CallView-3.css'],
          isDynamicEntry: true,
        },
      }),
    );
    server = await startTestServer(livekit, { webAppDir });
    owner = await signUp(server.api, 'links-owner');
    member = await addPerson(server.api, owner, 'links-member', 'member');
    const t = owner.tokens.accessToken;
    meeting = await server.api.ok('createMeeting', { token: t, body: { title: 'Customer <call> & demo' } });
    other = await server.api.ok('createMeeting', { token: t, body: { title: 'Staff only' } });
    channelId = (await server.api.ok('createChannel', { token: t, body: { name: 'staff' } })).id;
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(webAppDir, { recursive: true, force: true });
  });

  const knock = (code: string, body: unknown) => server.api.call('joinAsGuest', { params: { code }, body });

  it('gives every meeting an https link whose page is the browser client, showing the meeting at once', async () => {
    expect(meeting.webJoinUrl).toBe(`${server.url}/j/${meeting.joinCode}`);
    const page = await server.api.raw('GET', `/j/${meeting.joinCode}`);
    expect(page.status).toBe(200);
    // Own scripts, and compiling our own bundled WebAssembly; never eval or inline script.
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(page.headers.get('content-security-policy')).not.toMatch(/'unsafe-(eval|inline)'/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    // The browser client's own files, addressed from /app/ (one page load from the link to the name form: B7).
    expect(html).toContain('<script type="module" crossorigin src="/app/assets/main-abc123.js"></script>');
    expect(html).toContain('<link rel="stylesheet" crossorigin href="/app/assets/main-abc123.css">');
    expect(html).toContain('<title>Customer &#60;call&#62; &#38; demo · Tandem</title>');
    // The call screen's styles (not those the page loads anyway) are prefetched while the guest
    // types a name; its scripts are not hinted at all (the knock's import fetches them at once).
    expect(html).toContain('<link rel="prefetch" as="style" crossorigin href="/app/assets/CallView-3.css">');
    expect(html).not.toContain('CallView-3.js');
    expect(html).not.toContain('livekit-2.js');
    expect(html).not.toContain('rel="modulepreload"');
    // The landing's markup is the first paint (and what stays without script), escaped.
    expect(html).toContain('Customer &#60;call&#62; &#38; demo');
    expect(html).not.toContain('<call>');
    expect(html).toContain(`href="tandem://join/${meeting.joinCode}"`);
    expect(html).toContain(`href="/app/#/join/${meeting.joinCode}"`);
    expect(html).toContain('No account? Join in this browser');
    // What the app shows of the meeting, as data it parses (never markup, never script).
    const data = /<script type="application\/json" id="tandem-join-landing">([^<]*)<\/script>/.exec(html)?.[1];
    expect(data).toContain('\\u003ccall\\u003e \\u0026 demo');
    expect(JoinLandingSchema.parse(JSON.parse(data ?? ''))).toEqual({
      code: meeting.joinCode,
      title: 'Customer <call> & demo',
      recorded: false,
      externalGuests: true,
    });
    expect((await server.api.raw('GET', '/j/nosuchcode1')).status).toBe(404);
    expect((await server.api.raw('GET', '/j/landing.css')).headers.get('content-type')).toContain('text/css');
  });

  it('serves the plain landing page where the browser client is not built', async () => {
    const bare = await startTestServer(livekit, { webAppDir: path.join(webAppDir, 'nothing-here') });
    try {
      const t = (await signUp(bare.api, 'links-bare')).tokens.accessToken;
      const m = await bare.api.ok('createMeeting', { token: t, body: { title: 'Plain' } });
      const html = await (await bare.api.raw('GET', `/j/${m.joinCode}`)).text();
      expect(html).toContain('<body class="landing-page"><main class="landing"><h1>Plain</h1>');
      expect(html).toContain(`href="/app/#/join/${m.joinCode}"`);
      expect(html).not.toContain('tandem-join-landing');
    } finally {
      await bare.close();
    }
  });

  it('serves the browser client with its policy, hashed assets immutable, nothing outside the build', async () => {
    const index = await server.api.raw('GET', '/app/');
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain(
      `connect-src 'self' ${new URL(livekit.wsUrl).origin}`,
    );
    const asset = await server.api.raw('GET', '/app/assets/main-abc123.js');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('vary')).toBe('accept-encoding');
    const tag = asset.headers.get('etag') ?? '';
    expect(tag).toMatch(/^"[\w-]+"$/);
    const again = await server.api.raw('GET', '/app/assets/main-abc123.js', { headers: { 'if-none-match': tag } });
    expect(again.status).toBe(304);
    expect((await server.api.raw('GET', '/app/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await server.api.raw('GET', '/app/assets/missing.js')).status).toBe(404);
  });

  it('sends the hashed files compressed to browsers that take it, once the copy is made, and the same bytes', async () => {
    const get = (encoding: string) =>
      fetch(`${server.url}/app/assets/big-4.js`, { headers: { 'accept-encoding': encoding } });
    // The first answer never waits for a compression; a later one has the copy.
    const first = await get('br');
    expect(first.status).toBe(200);
    // The copy in `wanted` once it is made (brotli and gzip are made side by side, either first).
    const sentIn = async (accept: string, wanted: string) => {
      for (let i = 0; i < 100; i += 1) {
        const r = await get(accept);
        const used = r.headers.get('content-encoding');
        // fetch decodes what it was sent: the text is the file's, whichever way it came.
        expect(await r.text()).toBe(BIG_SCRIPT);
        if (used === wanted)
          return { used, length: Number(r.headers.get('content-length')), etag: r.headers.get('etag') };
        await new Promise((done) => setTimeout(done, 20));
      }
      return undefined;
    };
    const br = await sentIn('gzip, deflate, br', 'br');
    expect(br).toMatchObject({ used: 'br' });
    expect(br?.length).toBeLessThan(BIG_SCRIPT.length / 4);
    expect(await sentIn('gzip', 'gzip')).toMatchObject({ used: 'gzip' });
    // Never an encoding the browser did not offer.
    expect((await get('gzip')).headers.get('content-encoding')).toBe('gzip');
    // Each encoding is its own representation: its own tag.
    const plain = await get('identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('etag')).not.toBe(br?.etag);
    expect(await plain.text()).toBe(BIG_SCRIPT);
  });

  it('lets someone from outside knock with a name, wait, be admitted by a host and join', async () => {
    const hostWs = await connectWs(server.url, owner.tokens.accessToken);
    const refused = await knock(meeting.joinCode, { name: '   ' });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    const knocked = await knock(meeting.joinCode.toUpperCase(), {
      name: 'Carol Customer',
      email: 'carol@client.example',
    });
    expect(knocked.status).toBe(201);
    const result = knocked.body as GuestJoinResult;
    expect(result.session.user).toMatchObject({
      role: 'guest',
      name: 'Carol Customer',
      organisationId: owner.user.organisationId,
    });
    expect(result.join).toMatchObject({ status: 'waiting', entry: { name: 'Carol Customer', status: 'waiting' } });
    if (result.join.status !== 'waiting') throw new Error('not waiting');
    const arrival = await hostWs.next('lobby.entry', (m) => m.entry.userId === result.session.user.id);
    expect(arrival.entry).toMatchObject({ status: 'waiting', external: true });
    const guest = result.session.tokens.accessToken;
    // Waiting, no token: joining again still waits.
    const again = await server.api.ok('joinMeeting', { token: guest, params: { meetingId: meeting.id }, body: {} });
    expect(again.status).toBe('waiting');
    await server.api.ok('admit', {
      token: owner.tokens.accessToken,
      params: { meetingId: meeting.id, entryId: result.join.entry.id },
    });
    const joined = await server.api.ok('joinMeeting', { token: guest, params: { meetingId: meeting.id }, body: {} });
    expect(joined.status).toBe('joined');
    // Admitted, they chat in the meeting and its chat reaches them live.
    const guestWs = await connectWs(server.url, guest);
    await resume(guestWs);
    await server.api.ok('sendMessage', {
      token: guest,
      params: { conversationId: meeting.conversationId },
      body: { clientId: randomUUID(), body: 'hello from outside' },
    });
    const reply = await server.api.ok('sendMessage', {
      token: member.tokens.accessToken,
      params: { conversationId: meeting.conversationId },
      body: { clientId: randomUUID(), body: 'welcome' },
    });
    await guestWs.next('chat.event', (m) => m.event.clientId === reply.clientId);

    // Nothing else of the organisation: other meetings, people, channels, conversations.
    const other404 = await server.api.call('getMeeting', { token: guest, params: { meetingId: other.id } });
    expect(other404.status).toBe(404);
    expect((await server.api.call('getUser', { token: guest, params: { userId: member.user.id } })).status).toBe(404);
    expect((await server.api.call('history', { token: guest, params: { conversationId: channelId } })).status).toBe(
      404,
    );
    const listed = await server.api.ok('listConversations', { token: guest });
    expect(listed.conversations.map((c) => c.id)).toEqual([meeting.conversationId]);
    const meetings = await server.api.ok('listMeetings', { token: guest });
    expect(meetings.meetings.map((m) => m.id)).toEqual([meeting.id]);
    expect((await server.api.call('createChannel', { token: guest, body: { name: 'mine' } })).status).toBe(403);
    // Their session is a guest's: never a password sign-in.
    const byPassword = await server.api.call('signIn', { body: { email: 'carol@client.example', password: 'none' } });
    expect(byPassword.status).toBe(401);
    hostWs.close();
    guestWs.close();
  });

  it('makes a member of another organisation an external guest of this one, seeing nothing else of it', async () => {
    const stranger = await signUp(server.api, 'links-stranger');
    const knocked = await knock(meeting.joinCode, { name: stranger.user.name, email: stranger.user.email });
    const result = knocked.body as GuestJoinResult;
    expect(result.session.user.organisationId).toBe(owner.user.organisationId);
    expect(result.session.user.id).not.toBe(stranger.user.id);
    expect(result.session.user.role).toBe('guest');
    // Their own account's address is taken: the guest account gets one that can never be real.
    expect(result.session.user.email).toMatch(/@guests\.invalid$/);
    const t = result.session.tokens.accessToken;
    expect((await server.api.call('getMeeting', { token: t, params: { meetingId: other.id } })).status).toBe(404);
    expect((await server.api.ok('listConversations', { token: t })).conversations).toEqual([]);
  });

  it('joins a guest whose socket says it waits in the lobby: the moment a host admits, or at once if admitted before', async () => {
    const guestOf = async (name: string) => {
      const result = (await knock(meeting.joinCode, { name })).body as GuestJoinResult;
      if (result.join.status !== 'waiting') throw new Error('not waiting');
      return { result, entryId: result.join.entry.id, token: result.session.tokens.accessToken };
    };
    const admit = (entryId: string) =>
      server.api.ok('admit', { token: owner.tokens.accessToken, params: { meetingId: meeting.id, entryId } });
    const awaitingSocket = async (token: string, awaiting: unknown) => {
      const ws = await connectWs(server.url);
      ws.send({ type: 'auth', accessToken: token, awaiting });
      await ws.next('ready');
      return ws;
    };

    // Waiting when the socket opens: nothing until a host decides, then the call on the socket.
    const erin = await guestOf('Erin Early');
    const erinWs = await awaitingSocket(erin.token, [{ meetingId: meeting.id, displayName: 'Erin E.' }]);
    await drained(erinWs);
    expect(erinWs.received.map((m) => m.type)).not.toContain('lobby.joined');
    await admit(erin.entryId);
    const joined = await erinWs.next('lobby.joined');
    expect(joined.meeting.id).toBe(meeting.id);
    expect(joined.livekit).toMatchObject({ identity: erin.result.session.user.id, role: 'attendee' });
    // The admission came first, so a client knows not to join on it itself; the name is the one it asked for.
    const types = erinWs.received.map((m) => m.type);
    expect(types.indexOf('lobby.entry')).toBeLessThan(types.indexOf('lobby.joined'));
    expect(JSON.parse(atob(joined.livekit.token.split('.')[1] ?? ''))).toMatchObject({ name: 'Erin E.' });
    erinWs.close();

    // Admitted before the socket was there to hear it: joined right after ready, no join of its own.
    const fred = await guestOf('Fred Fast');
    await admit(fred.entryId);
    const fredWs = await awaitingSocket(fred.token, [{ meetingId: meeting.id }]);
    expect((await fredWs.next('lobby.joined')).livekit.identity).toBe(fred.result.session.user.id);
    expect(fredWs.received[0]?.type).toBe('ready');
    fredWs.close();

    // Denied: the entry says so and no call follows; a meeting it may not see is refused as HTTP would.
    const gina = await guestOf('Gina Gone');
    const ginaWs = await awaitingSocket(gina.token, [{ meetingId: meeting.id }, { meetingId: other.id }]);
    expect((await ginaWs.next('lobby.refused')).meetingId).toBe(other.id);
    expect(ginaWs.received.find((m) => m.type === 'lobby.refused')).toMatchObject({ error: { code: 'not_found' } });
    await server.api.ok('deny', {
      token: owner.tokens.accessToken,
      params: { meetingId: meeting.id, entryId: gina.entryId },
    });
    await ginaWs.next('lobby.entry', (m) => m.entry.status === 'denied');
    await drained(ginaWs);
    expect(ginaWs.received.filter((m) => m.type === 'lobby.joined')).toEqual([]);
    ginaWs.close();

    // More lobbies than a socket may wait in is a malformed auth: closed, as any.
    const many = Array.from({ length: MAX_AWAITED_LOBBIES + 1 }, () => ({ meetingId: meeting.id }));
    const refused = await connectWs(server.url);
    refused.send({ type: 'auth', accessToken: gina.token, awaiting: many });
    expect(await refused.closed).toBe(WS_CLOSE.badMessage);
  });

  it('lets a guest knock on the socket itself: the session, then ready, then the call once admitted', async () => {
    const ws = await connectWs(server.url);
    // A code nobody issued is refused as the POST refuses it; the socket stays, unauthenticated.
    ws.send({ type: 'guest.knock', code: 'zzzz9999', name: 'Hana Early' });
    expect(await ws.next('error')).toMatchObject({ ref: 'guest.knock', error: { code: 'not_found' } });
    ws.send({ type: 'guest.knock', code: meeting.joinCode.toUpperCase(), name: 'Hana Hopeful', email: 'hana@x.test' });
    const knocked = await ws.next('guest.knocked');
    expect(knocked.session.user).toMatchObject({ role: 'guest', name: 'Hana Hopeful' });
    if (knocked.join.status !== 'waiting') throw new Error('not waiting');
    expect(knocked.join.meeting.id).toBe(meeting.id);
    const ready = await ws.next('ready');
    expect(ready.userId).toBe(knocked.session.user.id);
    expect(ws.received.map((m) => m.type).slice(1, 3)).toEqual(['guest.knocked', 'ready']);
    // The socket waits in the lobby for it: admitted, the call comes here, in the name it knocked with.
    await server.api.ok('admit', {
      token: owner.tokens.accessToken,
      params: { meetingId: meeting.id, entryId: knocked.join.entry.id },
    });
    const joined = await ws.next('lobby.joined');
    expect(joined.livekit).toMatchObject({ identity: knocked.session.user.id, role: 'attendee' });
    expect(JSON.parse(atob(joined.livekit.token.split('.')[1] ?? ''))).toMatchObject({ name: 'Hana Hopeful' });
    // The session is a guest's like any other: this meeting only.
    const t = knocked.session.tokens.accessToken;
    expect((await server.api.call('getMeeting', { token: t, params: { meetingId: other.id } })).status).toBe(404);
    // Once the socket is someone's, another knock on it is refused and changes nothing.
    ws.send({ type: 'guest.knock', code: meeting.joinCode, name: 'Hana Again' });
    expect(await ws.next('error', (m) => m.ref === 'guest.knock' && m.error.code === 'bad_request')).toBeDefined();
    ws.close();

    // A malformed knock is a malformed first message: closed, as any.
    const malformed = await connectWs(server.url);
    malformed.send({ type: 'guest.knock', code: meeting.joinCode, name: '' });
    expect(await malformed.closed).toBe(WS_CLOSE.badMessage);
  });

  it("follows the organisation's setting: off, the landing page says so and no guest session is made", async () => {
    const byMember = await server.api.call('updateOrganisationSettings', {
      token: member.tokens.accessToken,
      body: { externalGuests: false },
    });
    expect(byMember.status).toBe(403);
    expect(
      await server.api.ok('updateOrganisationSettings', {
        token: owner.tokens.accessToken,
        body: { externalGuests: false },
      }),
    ).toMatchObject({ externalGuests: false });
    const users = async () => (await server.api.ok('listUsers', { token: owner.tokens.accessToken })).users.length;
    const before = await users();
    expect(await knock(meeting.joinCode, { name: 'Dave' })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await users()).toBe(before);
    const html = await (await server.api.raw('GET', `/j/${meeting.joinCode}`)).text();
    expect(html).toContain('does not let people from outside join by link');
    expect(html).toContain('"externalGuests":false');
    await server.api.ok('updateOrganisationSettings', {
      token: owner.tokens.accessToken,
      body: { externalGuests: true },
    });
  });
});

describe("IT's EXTERNAL_GUESTS=off", () => {
  it('refuses every knock whatever the organisation says', async () => {
    const server = await startTestServer(livekit, { externalGuests: false });
    try {
      const owner = await signUp(server.api, 'it-owner');
      const m = await server.api.ok('createMeeting', {
        token: owner.tokens.accessToken,
        body: { title: 'Locked down' },
      });
      expect(await server.api.ok('getOrganisationSettings', { token: owner.tokens.accessToken })).toMatchObject({
        externalGuests: false,
      });
      const refused = await server.api.call('joinAsGuest', { params: { code: m.joinCode }, body: { name: 'Eve' } });
      expect(refused.status).toBe(403);
      const ws = await connectWs(server.url);
      ws.send({ type: 'guest.knock', code: m.joinCode, name: 'Eve' });
      expect(await ws.next('error')).toMatchObject({ ref: 'guest.knock', error: { code: 'forbidden' } });
      ws.close();
    } finally {
      await server.close();
    }
  });
});

describe('knocks per address', () => {
  it('counts knocks on a socket with those over HTTP and sign-ins: one budget per address', async () => {
    // 1 sign-in a minute per account makes 10 attempts a minute per address.
    const server = await startTestServer(livekit, { rateLimits: { signInPerMinute: 1 } });
    try {
      const owner = await signUp(server.api, 'limits-owner');
      const m = await server.api.ok('createMeeting', { token: owner.tokens.accessToken, body: { title: 'Busy' } });
      for (let i = 0; i < 9; i += 1) {
        const knocked = await server.api.call('joinAsGuest', { params: { code: m.joinCode }, body: { name: `G${i}` } });
        expect(knocked.status).toBe(201);
      }
      const ws = await connectWs(server.url);
      ws.send({ type: 'guest.knock', code: m.joinCode, name: 'Tenth' });
      await ws.next('guest.knocked');
      await ws.next('ready');
      const next = await connectWs(server.url);
      next.send({ type: 'guest.knock', code: m.joinCode, name: 'Eleventh' });
      expect(await next.next('error')).toMatchObject({ ref: 'guest.knock', error: { code: 'rate_limited' } });
      expect(
        (await server.api.call('joinAsGuest', { params: { code: m.joinCode }, body: { name: 'Twelfth' } })).status,
      ).toBe(429);
      ws.close();
      next.close();
    } finally {
      await server.close();
    }
  });
});

describe('a guest admitted while joining, on PostgreSQL (where the join waits on the database between its read and its write)', () => {
  it('is joined, not sent back to the lobby: the decision made meanwhile stands', async () => {
    const postgres = inject('postgres');
    if (postgres === null) throw new Error('no PostgreSQL in this run');
    const server = await startTestServer(livekit, { postgres });
    try {
      const owner = await signUp(server.api, 'race-owner');
      const t = owner.tokens.accessToken;
      const meeting = await server.api.ok('createMeeting', { token: t, body: { title: 'Admitted at once' } });
      for (const name of ['Ines Quick', 'Jun Quicker', 'Kai Quickest']) {
        const ws = await connectWs(server.url);
        ws.send({ type: 'guest.knock', code: meeting.joinCode, name });
        const knocked = await ws.next('guest.knocked');
        if (knocked.join.status !== 'waiting') throw new Error('not waiting');
        // The host admits the moment the socket is the guest's, while the server still joins it.
        await ws.next('ready');
        await server.api.ok('admit', { token: t, params: { meetingId: meeting.id, entryId: knocked.join.entry.id } });
        expect((await ws.next('lobby.joined')).livekit).toMatchObject({ identity: knocked.session.user.id });
        const waiting = await server.api.ok('listLobby', { token: t, params: { meetingId: meeting.id } });
        expect(waiting.entries.map((e) => e.name)).not.toContain(name);
        ws.close();
      }
    } finally {
      await server.close();
    }
  });
});
