import { randomUUID } from 'node:crypto';
import { startLivekit, webhookPair, type RunningLivekit } from '@tandem/devstack';
import {
  AudioSource,
  dispose,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
  VideoSource,
} from '@livekit/rtc-node';
import type { AuthSession, JoinResult, LivekitConnection } from '@tandem/shared';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPerson,
  connectWs,
  drained,
  resume,
  signUp,
  startTestServer,
  type TestServer,
  type WsClient,
} from './testSupport.ts';

/**
 * The whole meeting path on a real livekit-server that posts its webhooks to this server:
 * lobby, server-minted tokens, participants joining from Node with @livekit/rtc-node, host controls.
 */
describe('lobby, join and host controls against the real livekit-server', () => {
  let livekit: RunningLivekit;
  let server: TestServer;
  let rooms: RoomServiceClient;
  let host: AuthSession;
  let guest: AuthSession;
  let hostWs: WsClient;
  let guestWs: WsClient;
  const connected: Room[] = [];

  beforeAll(async () => {
    [livekit, server] = await webhookPair(
      '/livekit/webhook',
      (url) => startLivekit({ webhookUrls: [url] }),
      (livekit, port) => startTestServer(livekit, { port }),
    );
    rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    host = await signUp(server.api, 'host');
    guest = await addPerson(server.api, host, 'guest', 'guest');
    hostWs = await connectWs(server.url, host.tokens.accessToken);
    guestWs = await connectWs(server.url, guest.tokens.accessToken);
    await resume(guestWs);
  });
  afterAll(async () => {
    for (const room of connected) await room.disconnect().catch(() => undefined);
    hostWs?.close();
    guestWs?.close();
    await server?.close();
    await livekit?.stop();
    await dispose();
  });

  const join = (who: AuthSession, meetingId: string) =>
    server.api.call('joinMeeting', { token: who.tokens.accessToken, params: { meetingId }, body: {} });

  function joined(result: Awaited<ReturnType<typeof join>>): LivekitConnection {
    const body = result.body as JoinResult;
    if (result.status !== 200 || body.status !== 'joined')
      throw new Error(`not joined: ${JSON.stringify(result.body)}`);
    return body.livekit;
  }

  async function enter(connection: LivekitConnection): Promise<Room> {
    const room = new Room();
    await room.connect(connection.url, connection.token, { autoSubscribe: true, dynacast: false });
    connected.push(room);
    return room;
  }

  const inRoom = async (room: string) => (await rooms.listParticipants(room)).map((p) => p.identity).sort();

  it('admits a guest from the lobby, mutes and removes them; an old token cannot bring them back', async () => {
    const hostToken = host.tokens.accessToken;
    const meeting = await server.api.ok('createMeeting', {
      token: hostToken,
      // A guest knocks only where a host gave it standing: here, an invitation.
      body: { title: 'Lobby check', settings: { lobby: true }, invitees: [guest.user.id] },
    });

    const waiting = await join(guest, meeting.id);
    expect(waiting).toMatchObject({ status: 200, body: { status: 'waiting', entry: { status: 'waiting' } } });
    expect(JSON.stringify(waiting.body)).not.toContain('token');
    const event = await hostWs.next(
      'lobby.entry',
      (m) => m.entry.meetingId === meeting.id && m.entry.status === 'waiting',
    );
    expect(event.entry.userId).toBe(guest.user.id);
    const lobby = await server.api.ok('listLobby', { token: hostToken, params: { meetingId: meeting.id } });
    expect(lobby.entries.map((e) => e.userId)).toEqual([guest.user.id]);
    const selfAdmit = await server.api.call('admit', {
      token: guest.tokens.accessToken,
      params: { meetingId: meeting.id, entryId: event.entry.id },
    });
    expect(selfAdmit).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    await server.api.ok('admit', { token: hostToken, params: { meetingId: meeting.id, entryId: event.entry.id } });
    await guestWs.next('lobby.entry', (m) => m.entry.id === event.entry.id && m.entry.status === 'admitted');

    const hostConn = joined(await join(host, meeting.id));
    const guestConn = joined(await join(guest, meeting.id));
    expect(hostConn.role).toBe('host');
    expect(guestConn.role).toBe('attendee');
    await enter(hostConn);
    const guestRoom = await enter(guestConn);
    const mic = LocalAudioTrack.createAudioTrack('mic', new AudioSource(48_000, 1));
    await guestRoom.localParticipant?.publishTrack(
      mic,
      new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
    );
    const camera = LocalVideoTrack.createVideoTrack('camera', new VideoSource(320, 240));
    await guestRoom.localParticipant?.publishTrack(
      camera,
      new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA }),
    );

    await expect.poll(() => inRoom(hostConn.room), { timeout: 20_000 }).toEqual([guest.user.id, host.user.id].sort());
    const listed = await rooms.listParticipants(hostConn.room);
    expect(listed.find((p) => p.identity === guest.user.id)?.attributes).toMatchObject({
      userId: guest.user.id,
      role: 'attendee',
      displayName: 'guest',
    });
    expect(listed.find((p) => p.identity === host.user.id)?.permission?.canPublish).toBe(true);

    const guestTracks = async () =>
      Object.fromEntries(
        (await rooms.getParticipant(guestConn.room, guest.user.id)).tracks.map((t) => [
          t.name,
          t.muted ? 'muted' : 'live',
        ]),
      );
    await expect.poll(guestTracks, { timeout: 20_000 }).toEqual({ mic: 'live', camera: 'live' });
    await server.api.ok('muteParticipant', {
      token: hostToken,
      params: { meetingId: meeting.id, userId: guest.user.id },
      body: { kind: 'video' },
    });
    await expect.poll(guestTracks, { timeout: 20_000 }).toEqual({ mic: 'live', camera: 'muted' });
    await server.api.ok('muteAll', { token: hostToken, params: { meetingId: meeting.id } });
    await expect.poll(guestTracks, { timeout: 20_000 }).toEqual({ mic: 'muted', camera: 'muted' });

    // Webhooks: the room went live, attendance and presence follow LiveKit.
    await expect
      .poll(
        async () => (await server.api.ok('getMeeting', { token: hostToken, params: { meetingId: meeting.id } })).status,
        {
          timeout: 20_000,
        },
      )
      .toBe('live');
    const presenceOfGuest = async () =>
      (await server.api.ok('listPresence', { token: hostToken })).presence.find((p) => p.userId === guest.user.id);
    await expect
      .poll(presenceOfGuest, { timeout: 20_000 })
      .toMatchObject({ status: 'in_meeting', meetingId: meeting.id });

    await server.api.ok('setPermissions', {
      token: hostToken,
      params: { meetingId: meeting.id, userId: guest.user.id },
      body: { canPublish: false },
    });
    await expect
      .poll(async () => (await rooms.getParticipant(guestConn.room, guest.user.id)).permission?.canPublish, {
        timeout: 20_000,
      })
      .toBe(false);

    // Admitted, the guest's socket hears the meeting's chat live; removed, it hears nothing more.
    const say = (body: string) =>
      server.api.ok('sendMessage', {
        token: hostToken,
        params: { conversationId: meeting.conversationId },
        body: { clientId: randomUUID(), body },
      });
    const before = await say('while you are here');
    await guestWs.next('chat.event', (m) => m.event.clientId === before.clientId);
    await server.api.ok('removeParticipant', {
      token: hostToken,
      params: { meetingId: meeting.id, userId: guest.user.id },
    });
    await expect.poll(() => inRoom(hostConn.room), { timeout: 20_000 }).toEqual([host.user.id]);
    await guestWs.next('meeting.left', (m) => m.meetingId === meeting.id && m.reason === 'removed');
    const after = await say('after the removal');
    await drained(guestWs);
    // Delivery checks the guest's standing in the database first: give a wrong delivery time to land.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(guestWs.received.some((m) => m.type === 'chat.event' && m.event.clientId === after.clientId)).toBe(false);
    await expect.poll(presenceOfGuest, { timeout: 20_000 }).toMatchObject({ status: 'online', meetingId: null });
    // Removed is final; to a guest the meeting is now as if it did not exist.
    expect(await join(guest, meeting.id)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });

    // The old LiveKit token is still inside its TTL; the participant_joined webhook drops them again.
    const comeback = new Room();
    connected.push(comeback);
    await comeback.connect(guestConn.url, guestConn.token).catch(() => undefined);
    await expect.poll(() => inRoom(hostConn.room), { timeout: 20_000 }).toEqual([host.user.id]);

    // Two visits (the admitted one and the comeback), both closed: the comeback really got in, then out.
    const guestVisits = async () =>
      (await server.api.ok('attendance', { token: hostToken, params: { meetingId: meeting.id } })).attendance
        .filter((a) => a.userId === guest.user.id)
        .map((a) => a.leftAt !== null);
    await expect.poll(guestVisits, { timeout: 20_000 }).toEqual([true, true]);

    await server.api.ok('endMeeting', { token: hostToken, params: { meetingId: meeting.id } });
    await expect.poll(() => inRoom(hostConn.room).catch(() => []), { timeout: 20_000 }).toEqual([]);
    expect(await join(host, meeting.id)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    const lifecycle = async () =>
      (await server.api.ok('attendance', { token: hostToken, params: { meetingId: meeting.id } })).lifecycle.map(
        (e) => e.event,
      );
    await expect.poll(lifecycle, { timeout: 20_000 }).toEqual(['room_started', 'room_finished']);
  });

  it('shows the display name chosen at join to hosts in the lobby and to everyone in the room', async () => {
    const hostToken = host.tokens.accessToken;
    const meeting = await server.api.ok('createMeeting', {
      token: hostToken,
      body: { title: 'Named joins', settings: { lobby: true } },
    });
    const person = await addPerson(server.api, host, 'named', 'member');
    const personWs = await connectWs(server.url, person.tokens.accessToken);
    const joinAs = (displayName: unknown) =>
      server.api.call('joinMeeting', {
        token: person.tokens.accessToken,
        params: { meetingId: meeting.id },
        body: { displayName },
      });
    const lobbyNames = async () =>
      (await server.api.ok('listLobby', { token: hostToken, params: { meetingId: meeting.id } })).entries.map(
        (e) => e.name,
      );
    try {
      // A refused name changes nothing: nobody waits.
      expect(await joinAs('a\u0000b')).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
      expect(await lobbyNames()).toEqual([]);

      expect(await joinAs('  Ada (guest speaker) ')).toMatchObject({
        status: 200,
        body: { status: 'waiting', entry: { userId: person.user.id, name: 'Ada (guest speaker)' } },
      });
      await hostWs.next(
        'lobby.entry',
        (m) => m.entry.userId === person.user.id && m.entry.name === 'Ada (guest speaker)',
      );
      expect(await lobbyNames()).toEqual(['Ada (guest speaker)']);
      // Asking again under another name tells the hosts again.
      await joinAs('Ada L.');
      const renamed = await hostWs.next(
        'lobby.entry',
        (m) => m.entry.userId === person.user.id && m.entry.name === 'Ada L.',
      );
      expect(await lobbyNames()).toEqual(['Ada L.']);

      await server.api.ok('admit', { token: hostToken, params: { meetingId: meeting.id, entryId: renamed.entry.id } });
      await personWs.next('lobby.entry', (m) => m.entry.id === renamed.entry.id && m.entry.name === 'Ada L.');
      const connection = joined(await joinAs('Ada L.'));
      expect(connection.identity).toBe(person.user.id);
      await enter(connection);
      const seen = async () =>
        (await server.api.ok('listParticipants', { token: hostToken, params: { meetingId: meeting.id } })).participants
          .filter((p) => p.userId === person.user.id)
          .map((p) => ({ identity: p.identity, name: p.name }));
      await expect.poll(seen, { timeout: 20_000 }).toEqual([{ identity: person.user.id, name: 'Ada L.' }]);
      const listed = await rooms.getParticipant(connection.room, person.user.id);
      expect(listed.attributes).toMatchObject({ userId: person.user.id, displayName: 'Ada L.' });
    } finally {
      personWs.close();
    }
  });

  it('denies for good, admits everyone waiting at once, and keeps a locked meeting shut', async () => {
    const hostToken = host.tokens.accessToken;
    const meeting = await server.api.ok('createMeeting', {
      token: hostToken,
      body: { title: 'Lobby decisions', settings: { lobby: true } },
    });
    const [denied, first, second] = await Promise.all([
      addPerson(server.api, host, 'denied', 'member'),
      addPerson(server.api, host, 'first', 'member'),
      addPerson(server.api, host, 'second', 'guest'),
    ]);
    await server.api.ok('updateMeeting', {
      token: hostToken,
      params: { meetingId: meeting.id },
      body: { invitees: [second.user.id] },
    });
    const deniedEntry = (await join(denied, meeting.id)).body as Extract<JoinResult, { status: 'waiting' }>;
    await server.api.ok('deny', { token: hostToken, params: { meetingId: meeting.id, entryId: deniedEntry.entry.id } });
    expect(await join(denied, meeting.id)).toMatchObject({ status: 403 });

    await join(first, meeting.id);
    await join(second, meeting.id);
    const afterAll = await server.api.ok('admitAll', { token: hostToken, params: { meetingId: meeting.id } });
    expect(afterAll.entries).toEqual([]);
    expect(joined(await join(first, meeting.id)).role).toBe('attendee');
    expect(joined(await join(second, meeting.id)).role).toBe('attendee');

    await server.api.ok('lockMeeting', { token: hostToken, params: { meetingId: meeting.id }, body: { locked: true } });
    const late = await addPerson(server.api, host, 'late', 'member');
    expect(await join(late, meeting.id)).toMatchObject({
      status: 403,
      body: { error: { message: 'the meeting is locked' } },
    });
    expect(joined(await join(first, meeting.id)).role).toBe('attendee');
    expect(joined(await join(host, meeting.id)).role).toBe('host');
  });
  it('lets a waiting person leave the lobby: hosts stop seeing them, nothing is final, a decision made first stands', async () => {
    const hostToken = host.tokens.accessToken;
    const meeting = await server.api.ok('createMeeting', {
      token: hostToken,
      body: { title: 'Changed my mind', settings: { lobby: true } },
    });
    const params = { meetingId: meeting.id };
    const leaver = await addPerson(server.api, host, 'leaver', 'member');
    const waiting = (await join(leaver, meeting.id)).body as Extract<JoinResult, { status: 'waiting' }>;
    expect((await server.api.ok('listLobby', { token: hostToken, params })).entries.map((e) => e.userId)).toEqual([
      leaver.user.id,
    ]);

    expect(await server.api.call('leaveLobby', { token: leaver.tokens.accessToken, params, body: {} })).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    // Hosts hear the entry go, and their list no longer has it; it cannot be admitted any more.
    await hostWs.next('lobby.entry', (m) => m.entry.id === waiting.entry.id && m.entry.status === 'removed');
    expect((await server.api.ok('listLobby', { token: hostToken, params })).entries).toEqual([]);
    expect(
      await server.api.call('admit', { token: hostToken, params: { ...params, entryId: waiting.entry.id }, body: {} }),
    ).toMatchObject({ status: 404 });
    // Leaving twice, or a lobby never knocked at, is no error.
    expect(await server.api.call('leaveLobby', { token: leaver.tokens.accessToken, params, body: {} })).toMatchObject({
      status: 200,
    });

    // Nothing final: they knock again and wait; admitted first, a leave changes nothing.
    const again = (await join(leaver, meeting.id)).body as Extract<JoinResult, { status: 'waiting' }>;
    expect(again.status).toBe('waiting');
    await server.api.ok('admit', { token: hostToken, params: { ...params, entryId: again.entry.id } });
    await server.api.ok('leaveLobby', { token: leaver.tokens.accessToken, params });
    expect(joined(await join(leaver, meeting.id)).role).toBe('attendee');

    // Someone of another organisation learns nothing of the meeting.
    const stranger = await signUp(server.api, 'leave-stranger');
    expect(await server.api.call('leaveLobby', { token: stranger.tokens.accessToken, params, body: {} })).toMatchObject(
      { status: 404 },
    );
  });

  it('shows a person presenting while they share their screen, in a meeting again when they stop', async () => {
    const meeting = await server.api.ok('createMeeting', {
      token: host.tokens.accessToken,
      body: { title: 'Presenting', settings: { lobby: false } },
    });
    // A colleague watches (a guest sees only their own presence).
    const colleague = await addPerson(server.api, host, 'colleague', 'member');
    const colleagueWs = await connectWs(server.url, colleague.tokens.accessToken);
    const statusOf = (status: string) =>
      colleagueWs.next('presence', (m) => m.presence.userId === host.user.id && m.presence.status === status);
    const room = await enter(joined(await join(host, meeting.id)));
    expect((await statusOf('in_meeting')).presence.meetingId).toBe(meeting.id);
    // A camera says nothing about presenting.
    const camera = LocalVideoTrack.createVideoTrack('camera', new VideoSource(320, 240));
    await room.localParticipant?.publishTrack(camera, new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA }));
    const screen = LocalVideoTrack.createVideoTrack('screen', new VideoSource(640, 360));
    const shared = await room.localParticipant?.publishTrack(
      screen,
      new TrackPublishOptions({ source: TrackSource.SOURCE_SCREENSHARE }),
    );
    const presenting = (await statusOf('presenting')).presence;
    expect(presenting).toMatchObject({ meetingId: meeting.id, chosenUntil: null });
    // Do not disturb set meanwhile stays underneath: presenting says more.
    await server.api.ok('setPresence', { token: host.tokens.accessToken, body: { chosen: 'dnd' } });
    const listed = await server.api.ok('listPresence', { token: colleague.tokens.accessToken });
    expect(listed.presence.find((p) => p.userId === host.user.id)?.status).toBe('presenting');
    await room.localParticipant?.unpublishTrack(shared?.sid ?? '');
    // Stopped presenting: the do-not-disturb set meanwhile shows again, over the meeting.
    await statusOf('dnd');
    // Busy chosen in a call stays underneath it, as Teams' "In a call": the call says more.
    const busy = await server.api.ok('setPresence', { token: host.tokens.accessToken, body: { chosen: 'busy' } });
    expect(busy).toMatchObject({ status: 'in_meeting', chosen: 'busy' });
    await statusOf('in_meeting');
    await room.disconnect();
    // Out of the call (still connected): the busy they chose shows, until they change it.
    expect((await statusOf('busy')).presence).toMatchObject({ chosen: 'busy', meetingId: null });
    await server.api.ok('setPresence', { token: host.tokens.accessToken, body: { chosen: 'available' } });
    await statusOf('online');
    colleagueWs.close();
  });
});
