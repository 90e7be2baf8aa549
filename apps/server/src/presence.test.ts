import {
  SPECIAL_PATHS,
  type AuthSession,
  type Presence,
  type PresenceList,
  type SetPresenceRequest,
} from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

describe('presence and webhook verification', () => {
  let server: TestServer;
  let watcher: AuthSession;
  let subject: AuthSession;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    watcher = await signUp(server.api, 'watcher');
    subject = await addPerson(server.api, watcher, 'subject', 'member');
  });
  afterAll(() => server?.close());

  it('fans out online, away and offline to the organisation', async () => {
    const eyes = await connectWs(server.url, watcher.tokens.accessToken);
    const statusOf = (status: string) =>
      eyes.next('presence', (m) => m.presence.userId === subject.user.id && m.presence.status === status);
    const subjectWs = await connectWs(server.url, subject.tokens.accessToken);
    await statusOf('online');
    subjectWs.send({ type: 'presence.set', status: 'away' });
    await statusOf('away');
    const listed = await server.api.ok('listPresence', { token: watcher.tokens.accessToken });
    expect(listed.presence.find((p) => p.userId === subject.user.id)?.status).toBe('away');
    subjectWs.close();
    await statusOf('offline');
    const invalid = await server.api.call('setPresence', {
      token: subject.tokens.accessToken,
      body: { status: 'in_meeting' },
    });
    expect(invalid).toMatchObject({ status: 400 });
    eyes.close();
  });

  it('fans out do not disturb and a status message; it ends by itself when set to; offline outweighs it', async () => {
    const eyes = await connectWs(server.url, watcher.tokens.accessToken);
    const subjectWs = await connectWs(server.url, subject.tokens.accessToken);
    const heard = (where: (p: Presence) => boolean) =>
      eyes.next('presence', (m) => m.presence.userId === subject.user.id && where(m.presence));
    await heard((p) => p.status === 'online');
    const set = (body: SetPresenceRequest) =>
      server.api.call('setPresence', { token: subject.tokens.accessToken, body });

    const on = await set({ chosen: 'dnd', statusText: '  Writing the quarterly report  ' });
    expect(on).toMatchObject({
      status: 200,
      body: { status: 'dnd', chosen: 'dnd', chosenUntil: null, statusText: 'Writing the quarterly report' },
    });
    await heard((p) => p.status === 'dnd' && p.statusText === 'Writing the quarterly report');
    // What the app sees (active, idle) goes on underneath; do not disturb still shows.
    expect(await set({ status: 'away' })).toMatchObject({ body: { status: 'dnd' } });
    expect((await server.api.ok('listPresence', { token: watcher.tokens.accessToken })).presence).toContainEqual(
      expect.objectContaining({ userId: subject.user.id, status: 'dnd', statusText: 'Writing the quarterly report' }),
    );
    const off = await set({ chosen: 'available' });
    expect(off).toMatchObject({
      body: { status: 'away', chosen: 'available', statusText: 'Writing the quarterly report' },
    });
    await heard((p) => p.status === 'away' && p.updatedAt === (off.body as Presence).updatedAt);

    // Until a time: everyone hears it end without anyone doing anything.
    const until = new Date(Date.now() + 1500).toISOString();
    expect(await set({ chosen: 'dnd', chosenUntil: until, statusText: '' })).toMatchObject({
      body: { status: 'dnd', chosenUntil: until, statusText: null },
    });
    await heard((p) => p.status === 'dnd' && p.chosenUntil === until);
    const ended = await heard((p) => p.status === 'away' && p.chosen === 'available' && p.chosenUntil === null);
    expect(Date.parse(ended.presence.updatedAt)).toBeLessThan(Date.parse(until));

    // Offline outweighs do not disturb.
    await set({ chosen: 'dnd' });
    await heard((p) => p.status === 'dnd' && p.chosenUntil === null);
    subjectWs.close();
    await heard((p) => p.status === 'offline');

    for (const body of [
      { chosen: 'dnd', chosenUntil: new Date(Date.now() - 1000).toISOString() },
      { chosenUntil: new Date(Date.now() + 60_000).toISOString() },
      { chosen: 'available', chosenUntil: new Date(Date.now() + 60_000).toISOString() },
      { statusText: 'x'.repeat(101) },
      {},
      { status: 'dnd' },
      { status: 'busy' },
      { chosen: 'in_meeting' },
      { dnd: true },
    ]) {
      expect(await set(body as SetPresenceRequest)).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request' } },
      });
    }
    await set({ chosen: 'available' });
    eyes.close();
  });

  it('fans out busy chosen by hand until turned off or until its time, and holds a chosen away over the app’s “active”', async () => {
    const eyes = await connectWs(server.url, watcher.tokens.accessToken);
    const subjectWs = await connectWs(server.url, subject.tokens.accessToken);
    const heard = (where: (p: Presence) => boolean) =>
      eyes.next('presence', (m) => m.presence.userId === subject.user.id && where(m.presence));
    const set = (body: SetPresenceRequest) => server.api.ok('setPresence', { token: subject.tokens.accessToken, body });
    await set({ status: 'online' });
    await heard((p) => p.status === 'online');

    expect(await set({ chosen: 'busy' })).toMatchObject({ status: 'busy', chosen: 'busy', chosenUntil: null });
    await heard((p) => p.status === 'busy' && p.chosen === 'busy');
    // Idle underneath: busy still shows, as it does over the app's "active" again.
    expect(await set({ status: 'away' })).toMatchObject({ status: 'busy' });
    expect(await set({ status: 'online' })).toMatchObject({ status: 'busy' });
    const listed = await server.api.ok('listPresence', { token: watcher.tokens.accessToken });
    expect(listed.presence.find((p) => p.userId === subject.user.id)).toMatchObject({ status: 'busy', chosen: 'busy' });
    // Do not disturb outweighs busy when chosen instead.
    await set({ chosen: 'dnd' });
    await heard((p) => p.status === 'dnd');
    await set({ chosen: 'available' });
    await heard((p) => p.status === 'online' && p.chosen === 'available');

    // Busy until a time: everyone hears it end by itself.
    const until = new Date(Date.now() + 1500).toISOString();
    await set({ chosen: 'busy', chosenUntil: until });
    await heard((p) => p.status === 'busy' && p.chosenUntil === until);
    const ended = await heard((p) => p.status === 'online' && p.chosen === 'available');
    expect(ended.presence.chosenUntil).toBeNull();

    // Away chosen by hand holds when the app says the person is active again; available undoes it.
    await set({ chosen: 'away' });
    await heard((p) => p.status === 'away' && p.chosen === 'away');
    expect(await set({ status: 'online' })).toMatchObject({ status: 'away', chosen: 'away' });
    await set({ chosen: 'available' });
    await heard((p) => p.status === 'online' && p.chosen === 'available');
    subjectWs.close();
    await heard((p) => p.status === 'offline');
    eyes.close();
  });

  it('lists the organisation’s presence a page at a time by person over HTTP, every one once, and refuses a page past the limit', async () => {
    const people = [watcher, subject];
    for (const tag of ['page-a', 'page-b', 'page-c']) people.push(await addPerson(server.api, watcher, tag, 'member'));
    for (const p of people)
      await server.api.ok('setPresence', { token: p.tokens.accessToken, body: { status: 'away' } });
    const stranger = await signUp(server.api, 'presence-stranger');
    await server.api.ok('setPresence', { token: stranger.tokens.accessToken, body: { status: 'away' } });
    const token = watcher.tokens.accessToken;
    const seen: string[] = [];
    let pages = 0;
    for (let after: string | null = null; ; pages += 1) {
      const page: PresenceList = await server.api.ok('listPresence', {
        token,
        query: after === null ? { limit: 2 } : { limit: 2, after },
      });
      expect(page.presence.length).toBeLessThanOrEqual(2);
      seen.push(...page.presence.map((p) => p.userId));
      if (page.next === null) break;
      expect(page.next).toBe(page.presence.at(-1)?.userId);
      after = page.next;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(people.map((p) => p.user.id).sort());
    // Without a limit: the first page of a thousand, here all of them and no next.
    expect(await server.api.ok('listPresence', { token })).toMatchObject({ next: null });
    expect((await server.api.ok('listPresence', { token })).presence).toHaveLength(people.length);
    const refused: Record<string, string | number>[] = [
      { limit: 1001 },
      { limit: 0 },
      { after: 'not-an-id' },
      { since: 1 },
    ];
    for (const query of refused) {
      expect(await server.api.call('listPresence', { token, query })).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request' } },
      });
    }
  });

  it('refuses a LiveKit webhook without a valid signature and records nothing', async () => {
    const meeting = await server.api.ok('createMeeting', {
      token: watcher.tokens.accessToken,
      body: { title: 'hooks' },
    });
    const body = JSON.stringify({
      event: 'participant_joined',
      room: { name: `meeting-${meeting.id}` },
      participant: { identity: subject.user.id },
      createdAt: '1',
    });
    for (const authorization of [undefined, 'forged.jwt.value']) {
      const reply = await server.api.raw('POST', SPECIAL_PATHS.livekitWebhook, {
        headers: {
          'content-type': 'application/webhook+json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        body,
      });
      expect(reply.status).toBe(401);
      expect(await reply.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
    const attendance = await server.api.ok('attendance', {
      token: watcher.tokens.accessToken,
      params: { meetingId: meeting.id },
    });
    expect(attendance.attendance).toEqual([]);
  });
});
