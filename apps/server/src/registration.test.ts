import { RegistrationResultSchema, type AuthSession, type Meeting, type RegistrationSettings } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

const SETTINGS: RegistrationSettings = {
  open: true,
  approval: 'automatic',
  capacity: 3,
  questions: [
    { id: 'company', label: 'Company', required: true },
    { id: 'topics', label: 'Topics you care about', required: false },
  ],
};

const tokenOf = (joinUrl: string | null): string => decodeURIComponent(joinUrl?.split('/w/')[1] ?? '');

/** Webinar registration over real HTTP: the public page and API, approval, links, capacity, CSV. */
describe('webinar registration', () => {
  let server: TestServer;
  let host: AuthSession;
  let member: AuthSession;
  let webinar: Meeting;

  beforeAll(async () => {
    server = await startTestServer(livekit, { rateLimits: { signInPerMinute: 1000 } });
    host = await signUp(server.api, 'reg-host');
    member = await addPerson(server.api, host, 'reg-member', 'member');
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const endsAt = new Date(Date.now() + 90_000_000).toISOString();
    webinar = await server.api.ok('createMeeting', {
      token: host.tokens.accessToken,
      body: { title: 'Product launch', type: 'webinar', startsAt, endsAt },
    });
  }, 60_000);
  afterAll(() => server?.close());

  const register = (name: string, email: string, answers: Record<string, string> = { company: 'Acme' }) =>
    server.api.call('register', { params: { code: webinar.joinCode }, body: { name, email, answers } });

  it('hosts open registration on a webinar only; until then the page finds nothing', async () => {
    expect(await server.api.call('registrationForm', { params: { code: webinar.joinCode } })).toMatchObject({
      status: 404,
    });
    const meeting = await server.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title: 'Plain' } });
    const notWebinar = await server.api.call('setRegistration', {
      token: host.tokens.accessToken,
      params: { meetingId: meeting.id },
      body: SETTINGS,
    });
    expect(notWebinar).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    const byMember = await server.api.call('setRegistration', {
      token: member.tokens.accessToken,
      params: { meetingId: webinar.id },
      body: SETTINGS,
    });
    expect(byMember).toMatchObject({ status: 403 });
    const duplicateIds = await server.api.call('setRegistration', {
      token: host.tokens.accessToken,
      params: { meetingId: webinar.id },
      body: { ...SETTINGS, questions: [SETTINGS.questions[0], SETTINGS.questions[0]] },
    });
    expect(duplicateIds).toMatchObject({ status: 400 });
    expect(
      await server.api.ok('setRegistration', {
        token: host.tokens.accessToken,
        params: { meetingId: webinar.id },
        body: SETTINGS,
      }),
    ).toEqual(SETTINGS);
    const form = await server.api.ok('registrationForm', { params: { code: webinar.joinCode } });
    expect(form).toMatchObject({
      title: 'Product launch',
      accepting: true,
      full: false,
      questions: SETTINGS.questions,
    });

    const html = await fetch(`${server.url}/r/${webinar.joinCode}`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("form-action 'self'");
    const text = await html.text();
    expect(text).toContain('Register for Product launch');
    expect(text).toContain('Topics you care about');
    expect(text).not.toContain('<script');
  });

  it('approves automatically with a link of one’s own and an ICS; refuses missing answers, a second registration and past capacity', async () => {
    const missing = await register('Zoe', 'zoe@example.org', {});
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(JSON.stringify(missing.body)).toContain('answers.company');

    const first = await register('Zoe', 'zoe@example.org');
    expect(first).toMatchObject({ status: 201, body: { status: 'approved' } });
    const confirmation = RegistrationResultSchema.parse(first.body);
    expect(confirmation.joinUrl).toMatch(/\/w\/[\w-]{40,}$/);
    expect(confirmation.ics).toContain('BEGIN:VCALENDAR');
    expect(confirmation.ics).toContain('Product launch');
    expect(await register('Zoe again', 'ZOE@example.org')).toMatchObject({ status: 409 });

    // The HTML form posts to itself: the same rules, answered as a page.
    const posted = await fetch(`${server.url}/r/${webinar.joinCode}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: '=HYPERLINK("x")', email: 'yann@example.org', 'q-company': 'Initech' }),
    });
    expect(posted.status).toBe(201);
    expect(await posted.text()).toContain('You are registered');
    expect(await register('Xavier', 'xavier@example.org')).toMatchObject({ status: 201 });

    expect(await register('Walt', 'walt@example.org')).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });
    expect(await server.api.ok('registrationForm', { params: { code: webinar.joinCode } })).toMatchObject({
      accepting: false,
      full: true,
    });
    const ics = await fetch(`${server.url}/r/${webinar.joinCode}/event.ics`);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
  });

  it('approves by hand, joins with the link (waiting in the backstage, let in on air), and refuses a revoked link', async () => {
    await server.api.ok('setRegistration', {
      token: host.tokens.accessToken,
      params: { meetingId: webinar.id },
      body: { ...SETTINGS, approval: 'manual', capacity: null },
    });
    const pending = await register('Vera', 'vera@example.org');
    expect(pending).toMatchObject({ status: 201, body: { status: 'pending', joinUrl: null } });
    const { registrants } = await server.api.ok('listRegistrants', {
      token: host.tokens.accessToken,
      params: { meetingId: webinar.id },
    });
    expect(registrants.map((r) => [r.email, r.status])).toEqual([
      ['zoe@example.org', 'approved'],
      ['yann@example.org', 'approved'],
      ['xavier@example.org', 'approved'],
      ['vera@example.org', 'pending'],
    ]);
    const vera = registrants[3];
    if (vera === undefined) throw new Error('no registrant');
    const decide = (status: 'approved' | 'denied' | 'revoked') =>
      server.api.ok('decideRegistrant', {
        token: host.tokens.accessToken,
        params: { meetingId: webinar.id, registrantId: vera.id },
        body: { status },
      });
    const approved = await decide('approved');
    expect(approved.registrant.status).toBe('approved');
    const token = tokenOf(approved.joinUrl);

    // Before it is live the link's page says it starts soon, and joins in the browser client.
    const soon = await (await fetch(`${server.url}/w/${token}`)).text();
    expect(soon).toContain('starts soon');
    expect(soon).toContain(`href="/app/#/registrant/${token}"`);
    const waiting = await server.api.ok('joinAsRegistrant', { body: { token } });
    expect(waiting.join.status).toBe('waiting');
    await server.api.ok('setWebinarLive', {
      token: host.tokens.accessToken,
      params: { meetingId: webinar.id },
      body: { live: true },
    });
    const inside = await server.api.ok('joinAsRegistrant', { body: { token } });
    expect(inside.join).toMatchObject({ status: 'joined', livekit: { role: 'viewer' } });
    const onAir = await fetch(`${server.url}/w/${token}`);
    expect(onAir.status).toBe(200);
    expect(await onAir.text()).toContain('The webinar is live.');

    await decide('revoked');
    const refused = await server.api.call('joinAsRegistrant', { body: { token } });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'link_revoked' } } });
    const page = await fetch(`${server.url}/w/${token}`);
    expect([page.status, page.headers.get('x-error-code')]).toEqual([403, 'link_revoked']);
    const unknown = await server.api.call('joinAsRegistrant', { body: { token: 'x'.repeat(43) } });
    expect(unknown).toMatchObject({ status: 404 });
    const audit = await server.api.ok('listAudit', {
      token: host.tokens.accessToken,
      query: { action: 'webinar.registrant_decided' },
    });
    expect(audit.entries.map((e) => [e.target?.label, e.detail['status']])).toEqual([
      ['Vera <vera@example.org>', 'revoked'],
      ['Vera <vera@example.org>', 'approved'],
    ]);
  });

  it('gives hosts the registrants and their attendance as CSV, formula-looking cells made text', async () => {
    const refused = await fetch(`${server.url}/meetings/${webinar.id}/registrants.csv`, {
      headers: { authorization: `Bearer ${member.tokens.accessToken}` },
    });
    expect(refused.status).toBe(403);
    const csv = await fetch(`${server.url}/meetings/${webinar.id}/registrants.csv`, {
      headers: { authorization: `Bearer ${host.tokens.accessToken}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'name,email,status,registered_at,decided_at,first_joined_at,minutes_attended,Company,Topics you care about',
    );
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^"'=HYPERLINK\(""x""\)",yann@example\.org,approved,/);
    expect(lines[4]).toMatch(/^Vera,vera@example\.org,revoked,.*,\d{4}-.*,\d+,Acme,$/);
  });
});

describe('webinar registration is rate-limited per address', () => {
  let server: TestServer;
  afterAll(() => server?.close());

  it('refuses registrations past the limit with 429 rate_limited', async () => {
    server = await startTestServer(livekit, { rateLimits: { signInPerMinute: 1 } });
    const host = await signUp(server.api, 'reg-limit');
    const webinar = await server.api.ok('createMeeting', {
      token: host.tokens.accessToken,
      body: { title: 'Busy', type: 'webinar' },
    });
    await server.api.ok('setRegistration', {
      token: host.tokens.accessToken,
      params: { meetingId: webinar.id },
      body: { open: true, approval: 'automatic', capacity: null, questions: [] },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const reply = await server.api.call('register', {
        params: { code: webinar.joinCode },
        body: { name: `P${i}`, email: `p${i}@example.org` },
      });
      statuses.push(reply.status);
    }
    expect(statuses.slice(0, 9).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
