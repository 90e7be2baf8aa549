import { SPECIAL_PATHS, type AuthSession } from '@tandem/shared';
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
