import {
  AUDIT_EXPORT_PATH,
  SCIM_SCHEMA,
  ScimUserSchema,
  type AuditEntry,
  type AuditListQuery,
  type AuthSession,
} from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { csvCell } from './services/auditLog.ts';
import { addPerson, letIn, signUp, startTestServer, uniqueEmail, type TestServer } from './testSupport.ts';

/**
 * The audit log's read side (issue 13): `GET /audit` for owners and admins, filtered and paged
 * newest first; `GET /audit/export` as CSV or JSON; and the actions wired to it beyond sign-in:
 * people's roles and status (by an admin and by SCIM), SCIM tokens and users, meeting lock, end
 * and removal, organisation settings. Over real HTTP.
 */

const livekit = inject('livekit');
const t = (who: AuthSession): string => who.tokens.accessToken;

let server: TestServer;
let owner: AuthSession;
let admin: AuthSession;
let member: AuthSession;

beforeAll(async () => {
  server = await startTestServer(livekit);
  owner = await signUp(server.api, 'audit-owner');
  admin = await addPerson(server.api, owner, 'audit-admin', 'admin');
  member = await addPerson(server.api, owner, 'audit-member', 'member');
});
afterAll(() => server?.close());

const list = (by: AuthSession, query: AuditListQuery = {}) =>
  server.api.ok('listAudit', { token: t(by), query: query as Record<string, string | number> });

/** Every entry the filter keeps, paging as a client does. */
async function all(by: AuthSession, query: AuditListQuery = {}): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await list(by, { ...query, ...(cursor == null ? {} : { cursor }) });
    entries.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return entries;
}

const exportAs = (by: AuthSession | undefined, query: string) =>
  fetch(`${server.url}${AUDIT_EXPORT_PATH}?${query}`, {
    headers: by === undefined ? {} : { authorization: `Bearer ${t(by)}` },
  });

describe('reading the audit log', () => {
  it('records role and status changes, with the admin who made them, the address and the client', async () => {
    const person = await addPerson(server.api, owner, 'audit-promoted', 'member');
    const patch = (body: object) =>
      server.api.raw('PATCH', `/users/${person.user.id}`, {
        body: JSON.stringify(body),
        headers: {
          authorization: `Bearer ${t(admin)}`,
          'content-type': 'application/json',
          'user-agent': 'admin-ui/1',
        },
      });
    expect((await patch({ role: 'admin' })).status).toBe(200);
    expect((await patch({ name: 'Audit Promoted' })).status).toBe(200);
    await server.api.ok('deactivateUser', { token: t(admin), params: { userId: person.user.id }, body: {} });
    await server.api.ok('reactivateUser', { token: t(owner), params: { userId: person.user.id }, body: {} });

    const entries = await all(admin, { target: person.user.id });
    expect(entries.map((e) => [e.action, e.actor.id])).toEqual([
      ['person.reactivated', owner.user.id],
      ['person.deactivated', admin.user.id],
      ['person.updated', admin.user.id],
      ['person.role_changed', admin.user.id],
      ['auth.sign_in', person.user.id],
      ['person.created', owner.user.id],
    ]);
    const [, , renamed, promoted] = entries;
    expect(promoted).toMatchObject({
      organisationId: owner.user.organisationId,
      actor: { kind: 'person', label: expect.stringContaining(admin.user.email) },
      target: { kind: 'person', id: person.user.id },
      origin: { address: '127.0.0.1', client: 'admin-ui/1' },
      detail: { from: 'member', to: 'admin' },
    });
    expect(renamed?.detail).toEqual({ fields: 'name' });
  });

  it('records SCIM: its tokens, and the people it creates, changes, deactivates and deletes, as the SCIM actor', async () => {
    const created = await server.api.ok('createScimToken', { token: t(admin), body: { label: 'Entra ID' } });
    const scim = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/scim/v2${path}`, {
        method,
        headers: {
          authorization: `Bearer ${created.secret}`,
          'user-agent': 'Azure Active Directory SCIM Client',
          ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const email = uniqueEmail('audit-scim');
    const person = ScimUserSchema.parse(
      await (
        await scim('POST', '/Users', {
          schemas: [SCIM_SCHEMA.user],
          userName: email,
          externalId: 'entra-1',
          name: { givenName: 'Sam', familyName: 'Provisioned' },
        })
      ).json(),
    );
    const ops = (Operations: unknown[]) =>
      scim('PATCH', `/Users/${person.id}`, { schemas: [SCIM_SCHEMA.patchOp], Operations });
    expect((await ops([{ op: 'Replace', path: 'name.familyName', value: 'Renamed' }])).status).toBe(200);
    expect((await ops([{ op: 'Replace', path: 'active', value: 'False' }])).status).toBe(200);
    expect((await scim('DELETE', `/Users/${person.id}`)).status).toBe(204);
    await server.api.ok('revokeScimToken', { token: t(owner), params: { tokenId: created.token.id } });

    const about = await all(owner, { target: person.id });
    expect(about.map((e) => [e.action, e.actor.kind])).toEqual([
      ['person.deleted', 'scim'],
      ['person.deactivated', 'scim'],
      ['person.updated', 'scim'],
      ['person.created', 'scim'],
    ]);
    expect(about.every((e) => e.actor.id === created.token.id)).toBe(true);
    expect(about[0]?.actor.label).toBe(`Entra ID (${created.token.prefix}…)`);
    expect(about[0]?.origin.client).toBe('Azure Active Directory SCIM Client');
    expect(about[2]?.detail).toEqual({ fields: 'name,familyName' });
    expect(about[3]?.detail).toEqual({ role: 'member', method: 'scim', restored: false, active: true });

    const tokens = await all(owner, { target: created.token.id });
    expect(tokens.map((e) => [e.action, e.actor.id])).toEqual([
      ['scim.token_revoked', owner.user.id],
      ['scim.token_created', admin.user.id],
    ]);
    // Found by the words of a label too: the token's, the SCIM client's.
    expect((await all(owner, { actor: 'entra id' })).length).toBeGreaterThanOrEqual(4);
  });

  it('records meeting lock, unlock, removal and end, and organisation settings', async () => {
    const meeting = await server.api.ok('createMeeting', { token: t(owner), body: { title: 'Board, "Q3" review' } });
    await letIn(server.api, owner, member, meeting.id);
    await server.api.ok('lockMeeting', { token: t(owner), params: { meetingId: meeting.id }, body: { locked: true } });
    await server.api.ok('lockMeeting', { token: t(owner), params: { meetingId: meeting.id }, body: { locked: false } });
    await server.api.ok('removeParticipant', {
      token: t(owner),
      params: { meetingId: meeting.id, userId: member.user.id },
      body: {},
    });
    await server.api.ok('endMeeting', { token: t(owner), params: { meetingId: meeting.id }, body: {} });
    await server.api.ok('updateOrganisationSettings', { token: t(admin), body: { externalGuests: false } });

    const onMeeting = await all(owner, { target: meeting.id });
    expect(onMeeting.map((e) => e.action)).toEqual(['meeting.ended', 'meeting.unlocked', 'meeting.locked']);
    expect(onMeeting[0]?.target).toEqual({ kind: 'meeting', id: meeting.id, label: 'Board, "Q3" review' });
    const removed = await all(owner, { action: 'meeting.participant_removed' });
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({ target: { id: member.user.id }, detail: { meetingId: meeting.id } });
    const settings = await all(owner, { action: 'organisation.settings_changed' });
    expect(settings[0]).toMatchObject({
      actor: { id: admin.user.id },
      detail: { 'externalGuests.was': true, 'externalGuests.now': false },
    });
  });

  it('only owners and admins read it, each their own organisation’s', async () => {
    expect(await server.api.call('listAudit', { token: t(member) })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await server.api.call('listAudit', {})).toMatchObject({ status: 401 });
    const other = await signUp(server.api, 'audit-other');
    const theirs = await all(other);
    expect(theirs.map((e) => e.action)).toEqual(['auth.signed_up']);
    expect(await all(other, { target: owner.user.id })).toEqual([]);
    expect((await exportAs(member, 'format=csv')).status).toBe(403);
    expect((await exportAs(undefined, 'format=csv')).status).toBe(401);
    const bad = await exportAs(owner, 'format=xlsx');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_request' } });
    expect(await server.api.call('listAudit', { token: t(owner), query: { action: 'nope' } })).toMatchObject({
      status: 400,
    });
    expect(await server.api.call('listAudit', { token: t(owner), query: { limit: 500 } })).toMatchObject({
      status: 400,
    });
  });

  it('pages newest first with a cursor, and filters by action, actor and time', async () => {
    const entries = await all(owner, { limit: 3 });
    expect(entries.length).toBeGreaterThan(10);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    const times = entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    const first = await list(owner, { limit: 3 });
    expect(first.entries.map((e) => e.id)).toEqual(entries.slice(0, 3).map((e) => e.id));
    expect(first.nextCursor).not.toBeNull();
    const whole = await list(owner, { limit: 200 });
    expect(whole.nextCursor).toBeNull();

    const byAdmin = await all(owner, { actor: admin.user.id });
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((e) => e.actor.id === admin.user.id)).toBe(true);
    const byEmail = await all(owner, { actor: admin.user.email.toUpperCase() });
    expect(byEmail.map((e) => e.id)).toEqual(byAdmin.map((e) => e.id));
    // LIKE's wildcards in the words are matched as themselves.
    expect(await all(owner, { actor: '%' })).toEqual([]);
    const signIns = await all(owner, { action: 'auth.sign_in' });
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns.every((e) => e.action === 'auth.sign_in')).toBe(true);

    const middle = entries[Math.floor(entries.length / 2)];
    if (middle === undefined) throw new Error('no entries');
    const upTo = await all(owner, { to: middle.at });
    expect(upTo.every((e) => e.at <= middle.at)).toBe(true);
    expect(upTo.map((e) => e.id)).toContain(middle.id);
    // A time without milliseconds is the same instant: the whole second counts.
    const second = `${middle.at.slice(0, 19)}Z`;
    const from = await all(owner, { from: second });
    expect(from.map((e) => e.id)).toContain(middle.id);
    expect(from.every((e) => e.at >= second.replace('Z', '.000Z'))).toBe(true);
  });

  it('exports as CSV (quoted, formula cells neutralised) and as JSON, and records the export', async () => {
    const hostile = await signUp(server.api, 'audit-export');
    // Whoever acts names themselves and their client: both end up in cells.
    const signIn = await server.api.raw('POST', '/auth/signin', {
      body: JSON.stringify({ email: hostile.user.email, password: 'not the password' }),
      headers: { 'content-type': 'application/json', 'user-agent': '=HYPERLINK("http://evil.example","x")' },
    });
    expect(signIn.status).toBe(401);

    const csv = await exportAs(hostile, 'format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-[0-9T-]+\.csv"$/);
    const text = await csv.text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('at,action,actor_kind,actor_id,actor,target_kind,target_id,target,address,client,detail');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',auth.sign_in_failed,anonymous,,');
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    expect(lines[1]).toContain(',"{""reason"":""wrong_password""}"');
    expect(lines[2]).toContain(',auth.signed_up,person,');

    const json = await exportAs(hostile, 'format=json&action=auth.signed_up');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await json.json()) as { entries: AuditEntry[] };
    expect(body.entries.map((e) => e.action)).toEqual(['auth.signed_up']);

    const exports = await all(hostile, { action: 'audit.exported' });
    expect(exports.map((e) => e.detail)).toEqual([
      { format: 'json', entries: 1, action: 'auth.signed_up' },
      { format: 'csv', entries: 2 },
    ]);
  });
});

describe('CSV cells', () => {
  it('quote what needs quoting and neutralise what a spreadsheet would run', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=a,"b"')).toBe('"\'=a,""b"""');
    expect(csvCell('')).toBe('');
  });
});
