import crypto from 'node:crypto';
import { dispose, Room } from '@livekit/rtc-node';
import { freeTcpPort, startLivekit } from '@tandem/devstack';
import { SPECIAL_PATHS, type AuthSession, type TranscriptSegment } from '@tandem/shared';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { addTranscript, desktopWorld, twoPeople, until } from '../testing/realServer.ts';
import { createApiClient } from './apiClient.ts';
import { ServiceError } from './errors.ts';

const world = desktopWorld(inject('livekit'), 'transcripts');
afterEach(() => world.close());

afterAll(() => dispose());

const signedIn = (name: string, person: AuthSession, fetchImpl?: typeof fetch) =>
  world.signedIn(name, person.user.email, fetchImpl);

/** The `i`th segment of a meeting's transcript, 30 s apart, said by `speaker`. */
const segmentOf = (meetingId: string, speaker: AuthSession, i: number, text: string): TranscriptSegment => ({
  id: crypto.randomUUID(),
  meetingId,
  speaker: { userId: speaker.user.id, name: speaker.user.name },
  startedAt: new Date(Date.UTC(2026, 11, 3, 10, 0, i * 30)).toISOString(),
  endedAt: new Date(Date.UTC(2026, 11, 3, 10, 0, i * 30 + 4)).toISOString(),
  text,
});

/** A fetch that counts the desktop's reads of `meetingId`'s transcript (the server must answer first). */
function countingTranscriptReads(meetingId: () => string): {
  readonly count: () => number;
  readonly fetch: typeof fetch;
} {
  let count = 0;
  return {
    count: () => count,
    async fetch(input, init) {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith(`/meetings/${meetingId()}/transcript`)) count += 1;
      return response;
    },
  };
}

describe('transcripts in the desktop cache, against the real coordination server', () => {
  it('keeps a transcript when it is opened and when its meeting ends (its last sentence too), and reads and finds it offline', async () => {
    await world.start();
    const { alice, bob } = await twoPeople(world.server.url);
    const api = createApiClient(world.server.url);
    const meeting = await api.call(
      'createMeeting',
      { body: { title: 'Budget 2027', invitees: [bob.user.id] } },
      alice.tokens.accessToken,
    );
    const segments = [
      segmentOf(meeting.id, alice, 0, 'Today we settle the budget.'),
      segmentOf(meeting.id, bob, 1, 'I will send it by Friday.'),
    ];
    await addTranscript(world.server, meeting.organisationId, segments);
    const reads = {
      alice: countingTranscriptReads(() => meeting.id),
      bob: countingTranscriptReads(() => meeting.id),
    };
    const a = await signedIn('alice', alice, reads.alice.fetch);
    const b = await signedIn('bob', bob, reads.bob.fetch);

    // Alice opens it: the server's, and now kept.
    expect(await a.core.services.transcripts.get(meeting.id)).toEqual({
      meetingTitle: 'Budget 2027',
      segments,
      source: 'server',
    });
    const vtt = await a.core.services.transcripts.export(meeting.id, 'vtt');
    expect(vtt.content.startsWith('WEBVTT')).toBe(true);

    // Bob never opened it: the meeting ending is what puts it in his cache.
    const opened = reads.alice.count();
    await api.call('endMeeting', { params: { meetingId: meeting.id }, body: {} }, alice.tokens.accessToken);
    await until(
      'both fetched the ended meeting’s transcript',
      async () => reads.bob.count() > 0 && reads.alice.count() > opened,
    );
    // The last sentence is stored after the end (the transcriber transcribes it as it leaves):
    // the transcript is read again once the server stores no more of it.
    const last = segmentOf(meeting.id, alice, 2, 'Then I write the minutes.');
    await addTranscript(world.server, meeting.organisationId, [last]);
    segments.push(last);
    await until('both read it again', async () => reads.bob.count() > 1 && reads.alice.count() > opened + 1);
    await world.server.stop();
    for (const [name, d] of [
      ['alice', a],
      ['bob', b],
    ] as const) {
      await until(`${name} offline`, async () => d.core.services.connection.status() !== 'online');
      const found = await until(`${name} finds it offline`, async () => {
        const result = await d.core.services.chat.search({ query: 'friday', limit: 10 });
        return result.transcripts.length === 1 ? result : undefined;
      });
      expect(found.scope).toBe('device');
      expect(found.transcripts[0]).toMatchObject({ meetingTitle: 'Budget 2027', segment: segments[1] });
      expect(found.transcripts[0]?.snippet).toBe('I will send it by \u0002Friday\u0003.');
      const late = await d.core.services.chat.search({ query: 'minutes', limit: 10 });
      expect(late.transcripts.map((h) => h.segment)).toEqual([last]);
      expect(await d.core.services.transcripts.get(meeting.id)).toEqual({
        meetingTitle: 'Budget 2027',
        segments,
        source: 'device',
      });
    }
    // A transcript this device never kept cannot be read offline: it says the server is unreachable.
    const error: unknown = await a.core.services.transcripts.get('another-meeting').catch((e: unknown) => e);
    expect(error instanceof ServiceError ? error.code : error).toBe('unavailable');
    await world.server.restart();
  });

  it('keeps a personal room’s transcript, which never ends, when the person leaves its call (presence from a real livekit-server’s webhooks)', async () => {
    // A livekit-server of this test's own, posting its webhooks to the server (which sets presence from them).
    const port = await freeTcpPort();
    const livekit = await startLivekit({ webhookUrls: [`http://127.0.0.1:${port}${SPECIAL_PATHS.livekitWebhook}`] });
    const own = desktopWorld(livekit, 'transcripts-left');
    const call = new Room();
    try {
      await own.start({ port });
      const { alice } = await twoPeople(own.server.url);
      const api = createApiClient(own.server.url);
      const room = await api.call('personalMeeting', {}, alice.tokens.accessToken);
      const said = [segmentOf(room.id, alice, 0, 'The roadmap goes out on Monday.')];
      await addTranscript(own.server, room.organisationId, said);
      const reads = countingTranscriptReads(() => room.id);
      const a = await own.signedIn('alice', alice.user.email, reads.fetch);
      const inRoom = () => a.core.services.presence.list().find((p) => p.userId === alice.user.id)?.meetingId ?? null;

      const joined = await api.call(
        'joinMeeting',
        { params: { meetingId: room.id }, body: {} },
        alice.tokens.accessToken,
      );
      if (joined.status !== 'joined') throw new Error(`not joined: ${joined.status}`);
      await call.connect(joined.livekit.url, joined.livekit.token);
      await until('alice’s desktop hears she is in her room', async () => inRoom() === room.id);
      expect(reads.count()).toBe(0);

      await call.disconnect();
      await until('alice’s desktop hears she left', async () => inRoom() === null);
      await until('it kept the transcript', async () => reads.count() > 0);
      await own.server.stop();
      await until('alice offline', async () => a.core.services.connection.status() !== 'online');
      expect(await a.core.services.transcripts.get(room.id)).toEqual({
        meetingTitle: room.title,
        segments: said,
        source: 'device',
      });
    } finally {
      await call.disconnect();
      await own.close();
      await livekit.stop();
    }
  });
});
