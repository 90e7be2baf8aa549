import crypto from 'node:crypto';
import type { AuthSession, TranscriptSegment } from '@tandem/shared';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { addTranscript, desktopWorld, twoPeople, until } from '../testing/realServer.ts';
import { createApiClient } from './apiClient.ts';
import { ServiceError } from './errors.ts';

const world = desktopWorld(inject('livekit'), 'transcripts');
afterEach(() => world.close());

const signedIn = (name: string, person: AuthSession, fetchImpl?: typeof fetch) =>
  world.signedIn(name, person.user.email, fetchImpl);

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
    const segment = (i: number, name: string, text: string): TranscriptSegment => ({
      id: crypto.randomUUID(),
      meetingId: meeting.id,
      speaker: { userId: name === 'alice' ? alice.user.id : bob.user.id, name },
      startedAt: new Date(Date.UTC(2026, 11, 3, 10, 0, i * 30)).toISOString(),
      endedAt: new Date(Date.UTC(2026, 11, 3, 10, 0, i * 30 + 4)).toISOString(),
      text,
    });
    const segments = [
      segment(0, 'alice', 'Today we settle the budget.'),
      segment(1, 'bob', 'I will send it by Friday.'),
    ];
    await addTranscript(world.server, meeting.organisationId, segments);
    // What each desktop fetched of the transcript: the server must answer before it goes away.
    const fetched = { alice: 0, bob: 0 };
    const counted =
      (name: keyof typeof fetched): typeof fetch =>
      async (input, init) => {
        const response = await fetch(input, init);
        const url = input instanceof Request ? input.url : String(input);
        if (url.endsWith(`/meetings/${meeting.id}/transcript`)) fetched[name] += 1;
        return response;
      };
    const a = await signedIn('alice', alice, counted('alice'));
    const b = await signedIn('bob', bob, counted('bob'));

    // Alice opens it: the server's, and now kept.
    expect(await a.core.services.transcripts.get(meeting.id)).toEqual({
      meetingTitle: 'Budget 2027',
      segments,
      source: 'server',
    });
    const vtt = await a.core.services.transcripts.export(meeting.id, 'vtt');
    expect(vtt.content.startsWith('WEBVTT')).toBe(true);

    // Bob never opened it: the meeting ending is what puts it in his cache.
    const opened = fetched.alice;
    await api.call('endMeeting', { params: { meetingId: meeting.id }, body: {} }, alice.tokens.accessToken);
    await until('both fetched the ended meeting’s transcript', async () => fetched.bob > 0 && fetched.alice > opened);
    // The last sentence is stored after the end (the transcriber transcribes it as it leaves):
    // the transcript is read again once the server stores no more of it.
    const last = segment(2, 'alice', 'Then I write the minutes.');
    await addTranscript(world.server, meeting.organisationId, [last]);
    segments.push(last);
    await until('both read it again', async () => fetched.bob > 1 && fetched.alice > opened + 1);
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
});
