import { describe, expect, it } from 'vitest';
import { calendarEntries } from './calendar.ts';
import { linkedMeetingOf } from './linkedMeeting.ts';
import type { ProviderEvent, ProviderMeeting } from './model.ts';
import { bridgeDestination, planSipBridge } from './sipBridge.ts';

const TEAMS_JOIN =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ4ZTg2%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%2c%22Oid%22%3a%22550fae72%22%7d';

const teams: ProviderMeeting = {
  platform: 'teams',
  externalId: 'MSpk',
  joinUrl: TEAMS_JOIN,
  meetingId: '3753928424573',
  passcode: 'xd6Qh9',
  dialIns: [
    { number: '+1 206-555-0100', label: null, tollFree: false },
    { number: '+49 69 5555 0100', label: 'Germany', tollFree: false },
    { number: '+1 800-555-0100', label: null, tollFree: true },
  ],
  startsAt: '2026-11-27T14:00:00.000Z',
  endsAt: '2026-11-27T15:00:00.000Z',
  conferenceId: '418924075',
  dialInInfoUrl: null,
  sipBridge: null,
};

const zoom: ProviderMeeting = {
  platform: 'zoom',
  externalId: '85746065432',
  joinUrl: 'https://us05web.zoom.us/j/85746065432?pwd=T3ZqWkR6bXlPUWNjQ0V3UE5sZz09',
  meetingId: '85746065432',
  passcode: 'a1B2c3',
  phonePasscode: '123456',
  dialIns: [{ number: '+1 669 900 6833', label: 'San Jose, US', tollFree: false }],
  startsAt: null,
  endsAt: null,
  sipBridge: null,
};

const meet: ProviderMeeting = {
  platform: 'meet',
  externalId: 'evt123',
  joinUrl: 'https://meet.google.com/abc-mnop-xyz',
  meetingId: 'abc-mnop-xyz',
  passcode: null,
  pin: '123456789',
  dialIns: [{ number: '+1 650-555-0123', label: 'US', tollFree: false }],
  startsAt: null,
  endsAt: null,
};

describe('linkedMeetingOf: provider meetings as the shared LinkedMeeting record', () => {
  it('reads Teams link fields with the shared recogniser and keeps the API codes and numbers', () => {
    expect(linkedMeetingOf(teams)).toMatchObject({
      provider: 'teams',
      threadId: '19:meeting_NjQ4ZTg2@thread.v2',
      tenantId: '72f988bf',
      organizerId: '550fae72',
      meetingId: '3753928424573',
      passcode: 'xd6Qh9',
      conferenceId: '418924075',
      dialIns: [
        { e164: '+12065550100', raw: '+1 206-555-0100', label: null },
        { e164: '+496955550100', raw: '+49 69 5555 0100', label: 'Germany' },
        { e164: '+18005550100', raw: '+1 800-555-0100', label: 'toll-free' },
      ],
    });
  });

  it('accepts the short Teams join link form (/meet/<id>?p=)', () => {
    const short = linkedMeetingOf({ ...teams, joinUrl: 'https://teams.microsoft.com/meet/3753928424573?p=xd6Qh9' });
    expect(short).toMatchObject({
      provider: 'teams',
      meetingId: '3753928424573',
      passcode: 'xd6Qh9',
      conferenceId: '418924075',
    });
  });

  it('keeps Zoom host and pwd token from the link and the phone passcode from the API', () => {
    expect(linkedMeetingOf(zoom)).toMatchObject({
      provider: 'zoom',
      host: 'us05web.zoom.us',
      pwd: 'T3ZqWkR6bXlPUWNjQ0V3UE5sZz09',
      meetingId: '85746065432',
      passcode: 'a1B2c3',
      phonePasscode: '123456',
    });
  });

  it('keeps the room connector the API describes', () => {
    const zoomSip = { address: 'sip:85746065432.123456@zoomcrc.com', code: null };
    expect(linkedMeetingOf({ ...zoom, sipBridge: zoomSip }).sipBridge).toEqual(zoomSip);
    const teamsSip = { address: 'sip:411222333@t.plcm.vc', code: '1197563805' };
    expect(linkedMeetingOf({ ...teams, sipBridge: teamsSip }).sipBridge).toEqual(teamsSip);
    expect(linkedMeetingOf(teams).sipBridge).toBeNull();
  });

  it('keeps the Meet PIN', () => {
    expect(linkedMeetingOf(meet)).toMatchObject({ provider: 'meet', meetingId: 'abc-mnop-xyz', pin: '123456789' });
  });

  it('refuses a join link of another platform', () => {
    expect(() => linkedMeetingOf({ ...zoom, joinUrl: 'https://meet.google.com/abc-mnop-xyz' })).toThrow(
      /not a zoom meeting/,
    );
  });
});

describe('calendarEntries: linked meetings detected in imported events', () => {
  const event = (over: Partial<ProviderEvent>): ProviderEvent => ({
    provider: 'microsoft',
    externalId: 'e',
    title: 't',
    startsAt: '2026-11-27T14:00:00.000Z',
    endsAt: '2026-11-27T15:00:00.000Z',
    allDay: false,
    location: null,
    bodyText: null,
    joinUrl: null,
    webLink: null,
    ...over,
  });

  it('finds the structured join link, a link in the location, an invitation body, or nothing', () => {
    const entries = calendarEntries([
      event({
        externalId: 'teams',
        joinUrl: TEAMS_JOIN,
        bodyText: 'Phone conference ID: 418 924 075#\n+1 206-555-0100,,418924075# United States',
      }),
      event({ externalId: 'zoom-in-location', location: 'https://acme.zoom.us/j/85746065432?pwd=abc' }),
      event({
        externalId: 'meet-in-body',
        bodyText:
          'Join with Google Meet\nhttps://meet.google.com/abc-mnop-xyz\nJoin by phone\n(US) +1 650-555-0123 PIN: 123 456 789#',
      }),
      event({ externalId: 'lunch', location: 'Canteen', bodyText: 'Bring a plate https://example.com/menu' }),
    ]);
    expect(entries.map((e) => [e.externalId, e.linked?.provider ?? null])).toEqual([
      ['teams', 'teams'],
      ['zoom-in-location', 'zoom'],
      ['meet-in-body', 'meet'],
      ['lunch', null],
    ]);
    expect(entries[0]?.linked).toMatchObject({ conferenceId: '418924075' });
    expect(entries[2]?.linked).toMatchObject({ pin: '123456789' });
  });

  it('uses an injected recogniser', () => {
    const [entry] = calendarEntries([event({ bodyText: 'x' })], () => ({
      ok: false,
      reason: 'empty',
      message: 'none',
    }));
    expect(entry?.linked).toBeNull();
  });
});

describe('planSipBridge: CreateSIPParticipant for a linked meeting', () => {
  const base = { roomName: 'room-1' };

  it('dials a Teams bridge with the conference ID after the greeting', () => {
    expect(planSipBridge({ ...base, meeting: linkedMeetingOf(teams) })).toEqual({
      ok: true,
      request: {
        sipCallTo: '+12065550100',
        roomName: 'room-1',
        participantIdentity: 'bridge:teams:+12065550100',
        participantName: 'Teams phone bridge',
        dtmf: 'wwwwwwww418924075#',
        playDialtone: false,
      },
      fallback: null,
    });
  });

  it('prefers a number with the given prefix', () => {
    const plan = planSipBridge({ ...base, meeting: linkedMeetingOf(teams), preferredPrefix: '+49' });
    expect(plan.ok && plan.request.sipCallTo).toBe('+496955550100');
  });

  it('keys the Zoom meeting ID, waits for the passcode prompt, then the phone passcode', () => {
    const plan = planSipBridge({ ...base, meeting: linkedMeetingOf(zoom) });
    expect(plan.ok && plan.request.dtmf).toBe('wwwwwwww85746065432#wwwwwwwwwwwwwwww*123456#');
  });

  it('keys the Meet PIN', () => {
    const plan = planSipBridge({ ...base, meeting: linkedMeetingOf(meet) });
    expect(plan.ok && [plan.request.sipCallTo, plan.request.dtmf]).toEqual(['+16505550123', 'wwwwwwww123456789#']);
  });

  it('calls a room connector’s SIP address before any number: Zoom’s names the meeting, Teams’ asks for the video ID', () => {
    const zoomSip = { address: 'sip:85746065432.123456@zoomcrc.com', code: null };
    expect(planSipBridge({ ...base, meeting: { ...linkedMeetingOf(zoom), sipBridge: zoomSip } })).toEqual({
      ok: true,
      request: {
        sipCallTo: 'sip:85746065432.123456@zoomcrc.com',
        roomName: 'room-1',
        participantIdentity: 'bridge:zoom:sip:85746065432.123456@zoomcrc.com',
        participantName: 'Zoom room connector',
        dtmf: '',
        playDialtone: false,
      },
      // Should the connector refuse the call, the phone bridge with its keypad tones.
      fallback: {
        sipCallTo: '+16699006833',
        roomName: 'room-1',
        participantIdentity: 'bridge:zoom:+16699006833',
        participantName: 'Zoom phone bridge',
        dtmf: 'wwwwwwww85746065432#wwwwwwwwwwwwwwww*123456#',
        playDialtone: false,
      },
    });
    const teamsSip = { address: 'sip:411222333@t.plcm.vc', code: '1197563805' };
    const plan = planSipBridge({ ...base, meeting: { ...linkedMeetingOf(teams), sipBridge: teamsSip } });
    expect(plan.ok && [plan.request.sipCallTo, plan.request.dtmf]).toEqual([
      'sip:411222333@t.plcm.vc',
      'wwwwwwww1197563805#',
    ]);
    // A connector without a phone bridge to fall back to (no number, or no conference ID) is still called.
    const alone = planSipBridge({
      ...base,
      meeting: { ...linkedMeetingOf({ ...teams, dialIns: [] }), sipBridge: teamsSip },
    });
    expect(alone).toMatchObject({ ok: true, request: { sipCallTo: 'sip:411222333@t.plcm.vc' }, fallback: null });
    // What the bridge dials is read back from its participant, ports and all.
    expect(bridgeDestination('bridge:teams:sip:desk@127.0.0.1:5070')).toBe('sip:desk@127.0.0.1:5070');
    expect(bridgeDestination('bridge:meet:+16505550123')).toBe('+16505550123');
  });

  it('says why it cannot plan', () => {
    expect(planSipBridge({ ...base, meeting: linkedMeetingOf({ ...meet, dialIns: [] }) })).toMatchObject({
      ok: false,
      reason: 'no_phone_number',
    });
    expect(planSipBridge({ ...base, meeting: linkedMeetingOf({ ...teams, conferenceId: null }) })).toMatchObject({
      ok: false,
      reason: 'no_bridge_code',
    });
  });
});
