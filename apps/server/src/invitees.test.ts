import { randomUUID } from 'node:crypto';
import { MAX_INVITEES, type AuthSession, type ServerMessage } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, signUp, startTestServer, type TestServer, type WsClient } from './testSupport.ts';

const livekit = inject('livekit');

const t = (who: AuthSession): string => who.tokens.accessToken;

/** Meeting news a socket heard (`meeting.changed` and `meeting.invited`), as "type title". */
const meetingNews = (ws: WsClient): string[] =>
  ws.received.flatMap((m: ServerMessage) =>
    m.type === 'meeting.changed' || m.type === 'meeting.invited' ? [`${m.type} ${m.meeting.title}`] : [],
  );

/** Everything the server sent before this round trip has arrived. */
async function settled(ws: WsClient): Promise<void> {
  const nonce = randomUUID().slice(0, 8);
  ws.send({ type: 'ping', nonce });
  await ws.next('pong', (m) => m.nonce === nonce);
}

describe('meeting invitations over real HTTP and WebSocket', () => {
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let linus: AuthSession;
  let admin: AuthSession;
  let outsider: AuthSession;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    ada = await signUp(server.api, 'inv-ada');
    grace = await addPerson(server.api, ada, 'inv-grace', 'member');
    linus = await addPerson(server.api, ada, 'inv-linus', 'member');
    admin = await addPerson(server.api, ada, 'inv-admin', 'admin');
    outsider = await signUp(server.api, 'inv-outsider');
  });
  afterAll(() => server?.close());

  const titles = async (who: AuthSession, scope?: 'mine' | 'organisation') =>
    (
      await server.api.ok('listMeetings', { token: t(who), ...(scope === undefined ? {} : { query: { scope } }) })
    ).meetings
      .map((m) => m.title)
      .sort();

  it('lists the meetings one owns or is invited to; owners and admins may list the whole organisation', async () => {
    const planning = await server.api.ok('createMeeting', {
      token: t(linus),
      body: { title: 'L: planning', invitees: [grace.user.id, ada.user.id] },
    });
    expect([...planning.invitees].sort()).toEqual([grace.user.id, ada.user.id].sort());
    await server.api.ok('createMeeting', { token: t(linus), body: { title: 'L: alone' } });
    await server.api.ok('personalMeeting', { token: t(linus) });
    await server.api.ok('personalMeeting', { token: t(grace) });

    expect(await titles(grace)).toEqual(['L: planning', "inv-grace's room"]);
    expect(await titles(ada)).toEqual(['L: planning']);
    expect(await titles(linus)).toEqual(['L: alone', 'L: planning', "inv-linus's room"]);
    expect(await server.api.ok('getMeeting', { token: t(grace), params: { meetingId: planning.id } })).toMatchObject({
      invitees: planning.invitees,
    });

    const everything = ['L: alone', 'L: planning', "inv-grace's room", "inv-linus's room"];
    expect(await titles(ada, 'organisation')).toEqual(everything);
    expect(await titles(admin, 'organisation')).toEqual(everything);
    expect(await server.api.call('listMeetings', { token: t(grace), query: { scope: 'organisation' } })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await server.api.call('listMeetings', { token: t(grace), query: { scope: 'everyone' } })).toMatchObject({
      status: 400,
    });
    expect(await titles(outsider, 'organisation')).toEqual([]);
  });

  it('still lets anyone of the organisation join with the code, and nobody outside it', async () => {
    const meeting = await server.api.ok('createMeeting', { token: t(ada), body: { title: 'Open door' } });
    const byCode = await server.api.ok('resolveJoinCode', { token: t(linus), params: { code: meeting.joinCode } });
    const joined = await server.api.ok('joinMeeting', { token: t(linus), params: { meetingId: byCode.id }, body: {} });
    expect(joined.status).toBe('joined');
    expect(
      await server.api.call('resolveJoinCode', { token: t(outsider), params: { code: meeting.joinCode } }),
    ).toMatchObject({ status: 404 });
  });

  it('refuses invitees who are not active people of the organisation, with issues, and changes nothing', async () => {
    const deactivated = await addPerson(server.api, ada, 'inv-gone', 'member');
    await server.api.ok('deactivateUser', { token: t(ada), params: { userId: deactivated.user.id }, body: {} });
    const before = await titles(ada, 'organisation');
    const refusals: [unknown, string][] = [
      [[grace.user.id, outsider.user.id], 'invitees.1'],
      [[randomUUID()], 'invitees.0'],
      [[deactivated.user.id], 'invitees.0'],
      [[ada.user.id], 'invitees.0'],
      [[grace.user.id, grace.user.id], 'invitees.1'],
      [['not-an-id'], 'invitees.0'],
      [Array.from({ length: MAX_INVITEES + 1 }, () => randomUUID()), 'invitees'],
    ];
    for (const [invitees, path] of refusals) {
      const reply = await server.api.call('createMeeting', { token: t(ada), body: { title: 'Refused', invitees } });
      expect(reply, path).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request', issues: [expect.objectContaining({ path })] } },
      });
    }
    expect(await titles(ada, 'organisation')).toEqual(before);

    const meeting = await server.api.ok('createMeeting', {
      token: t(ada),
      body: { title: 'Kept', invitees: [grace.user.id] },
    });
    const outside = await server.api.call('updateMeeting', {
      token: t(ada),
      params: { meetingId: meeting.id },
      body: { invitees: [outsider.user.id] },
    });
    expect(outside).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'invitees.0' }] } } });
    expect((await server.api.ok('getMeeting', { token: t(ada), params: { meetingId: meeting.id } })).invitees).toEqual([
      grace.user.id,
    ]);
    // Only hosts change who is invited, and a personal room invites nobody.
    expect(
      await server.api.call('updateMeeting', {
        token: t(grace),
        params: { meetingId: meeting.id },
        body: { invitees: [linus.user.id] },
      }),
    ).toMatchObject({ status: 403 });
    const room = await server.api.ok('personalMeeting', { token: t(ada) });
    expect(
      await server.api.call('updateMeeting', {
        token: t(ada),
        params: { meetingId: room.id },
        body: { invitees: [grace.user.id] },
      }),
    ).toMatchObject({ status: 409 });
  });

  it('keeps a person invited before they were deactivated, so the meeting can still be edited', async () => {
    const leaving = await addPerson(server.api, ada, 'inv-leaving', 'member');
    const meeting = await server.api.ok('createMeeting', {
      token: t(ada),
      body: { title: 'Before the leaving', invitees: [leaving.user.id, grace.user.id] },
    });
    await server.api.ok('deactivateUser', { token: t(ada), params: { userId: leaving.user.id }, body: {} });
    const edited = await server.api.ok('updateMeeting', {
      token: t(ada),
      params: { meetingId: meeting.id },
      body: { title: 'After the leaving', invitees: [...meeting.invitees] },
    });
    expect(edited.title).toBe('After the leaving');
    expect([...edited.invitees].sort()).toEqual([leaving.user.id, grace.user.id].sort());
  });

  it('tells the owner and invitees of changes, the newly invited with who invited them, and nobody else', async () => {
    const [adaWs, graceWs, linusWs, adminWs, outsiderWs] = await Promise.all([
      connectWs(server.url, t(ada)),
      connectWs(server.url, t(grace)),
      connectWs(server.url, t(linus)),
      connectWs(server.url, t(admin)),
      connectWs(server.url, t(outsider)),
    ]);
    const all = [adaWs, graceWs, linusWs, adminWs, outsiderWs];
    try {
      const meeting = await server.api.ok('createMeeting', {
        token: t(ada),
        body: { title: 'Quarterly planning', startsAt: '2026-12-01T09:00:00.000Z', invitees: [grace.user.id] },
      });
      const invited = await graceWs.next('meeting.invited');
      expect(invited).toMatchObject({
        meeting: { id: meeting.id, invitees: [grace.user.id] },
        invitedBy: { id: ada.user.id, name: 'inv-ada' },
      });

      await server.api.ok('updateMeeting', {
        token: t(ada),
        params: { meetingId: meeting.id },
        body: { startsAt: '2026-12-02T09:00:00.000Z' },
      });
      await graceWs.next('meeting.changed', (m) => m.meeting.startsAt === '2026-12-02T09:00:00.000Z');

      // Linus in, Grace out: Grace hears of it once more, without her, so her client drops it.
      await server.api.ok('updateMeeting', {
        token: t(ada),
        params: { meetingId: meeting.id },
        body: { invitees: [linus.user.id] },
      });
      const dropped = await graceWs.next('meeting.changed', (m) => !m.meeting.invitees.includes(grace.user.id));
      expect(dropped.meeting.invitees).toEqual([linus.user.id]);
      expect(dropped.changedBy).toEqual({ id: ada.user.id, name: ada.user.name });
      await linusWs.next('meeting.invited');
      expect(await titles(grace)).not.toContain('Quarterly planning');
      expect(await titles(linus)).toContain('Quarterly planning');

      await server.api.ok('cancelMeeting', { token: t(ada), params: { meetingId: meeting.id } });
      const cancelled = await linusWs.next('meeting.changed', (m) => m.meeting.status === 'cancelled');
      expect(cancelled.changedBy).toEqual({ id: ada.user.id, name: ada.user.name });

      await Promise.all(all.map(settled));
      expect(meetingNews(adaWs)).toEqual([
        'meeting.changed Quarterly planning',
        'meeting.changed Quarterly planning',
        'meeting.changed Quarterly planning',
        'meeting.changed Quarterly planning',
      ]);
      expect(meetingNews(graceWs)).toEqual([
        'meeting.invited Quarterly planning',
        'meeting.changed Quarterly planning',
        'meeting.changed Quarterly planning',
      ]);
      expect(meetingNews(linusWs)).toEqual([
        'meeting.invited Quarterly planning',
        'meeting.changed Quarterly planning',
      ]);
      // Not the organisation's admin, nor another organisation.
      expect(meetingNews(adminWs)).toEqual([]);
      expect(meetingNews(outsiderWs)).toEqual([]);
    } finally {
      for (const ws of all) ws.close();
    }
  });

  it('puts the meetings one is invited to in one’s calendar feed, and no others', async () => {
    const invited = await server.api.ok('createMeeting', {
      token: t(ada),
      body: {
        title: 'Feed: invited',
        startsAt: '2026-12-03T09:00:00.000Z',
        endsAt: '2026-12-03T10:00:00.000Z',
        invitees: [linus.user.id],
      },
    });
    const notInvited = await server.api.ok('createMeeting', {
      token: t(ada),
      body: { title: 'Feed: not invited', startsAt: '2026-12-03T11:00:00.000Z' },
    });
    const feed = await server.api.ok('createCalendarFeed', { token: t(linus), body: {} });
    const ics = await (await server.api.raw('GET', feed.path)).text();
    expect(ics).toContain(`UID:${invited.id}@tandem`);
    expect(ics).not.toContain(notInvited.id);

    const calendar = await server.api.ok('calendar', {
      token: t(linus),
      query: { from: '2026-12-03T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z' },
    });
    expect(calendar.entries.map((e) => e.title)).toEqual(['Feed: invited']);
  });
});
