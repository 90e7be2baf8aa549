import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLivekit, webhookPair, type RunningLivekit } from '@tandem/devstack';
import { WebhookEventSchema, type AuthSession, type WebhookEvent } from '@tandem/shared';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore } from './store/index.ts';
import { addPerson, onDatabase, signUp, startTestServer, type TestServer } from './testSupport.ts';

/**
 * Issue 13: API keys by scope, and outgoing webhooks over real HTTP to real local receivers that
 * check the signature the way a receiver's own code would (below, written from the documented
 * format, not with the server's signing code), retries seen in the delivery log, and the SSRF
 * refusals.
 */

const livekit = inject('livekit');

// ---- a receiver, as an integrator would write it ---------------------------------------------

type Received = { readonly headers: IncomingHttpHeaders; readonly body: string; readonly event: WebhookEvent };

/** Stripe-style verification: `t=<unix>,v1=<hex HMAC-SHA256("<t>.<body>")>`, at most five minutes old. */
function verifySignature(header: string | undefined, body: string, secret: string): boolean {
  const parts = new Map((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type Receiver = {
  readonly url: string;
  readonly received: Received[];
  /** Requests whose signature did not verify (answered 400). */
  readonly forged: number;
  secret: string;
  /** Status for the next requests, in order; 200 once they run out. */
  script: number[];
  next(where?: (r: Received) => boolean): Promise<Received>;
  close(): Promise<void>;
};

async function startReceiver(): Promise<Receiver> {
  const waiters = new Set<() => void>();
  let forged = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['tandem-signature'];
      if (!verifySignature(typeof header === 'string' ? header : undefined, body, receiver.secret)) {
        forged += 1;
        res.writeHead(400).end();
        return;
      }
      const status = receiver.script.shift() ?? 200;
      if (status === 200) {
        receiver.received.push({ headers: req.headers, body, event: WebhookEventSchema.parse(JSON.parse(body)) });
        for (const w of waiters) w();
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks`,
    received: [],
    get forged() {
      return forged;
    },
    secret: '',
    script: [],
    next(where = () => true) {
      return new Promise((resolve, reject) => {
        const timeout = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('no matching delivery within 10 s'));
        }, 10_000);
        const check = () => {
          const found = receiver.received.find(where);
          if (found === undefined) return;
          clearTimeout(timeout);
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

/** The body of a delivered `message.created`; undefined for any other event. */
const messageBody = (r: Received): string | null | undefined =>
  r.event.type === 'message.created' && r.event.data.message.type === 'message' ? r.event.data.message.body : undefined;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const auditRows = (server: TestServer, organisationId: string) =>
  onDatabase<{ action: string; actor_kind: string; actor_id: string; target_id: string; detail: string }>(
    server,
    'SELECT action, actor_kind, actor_id, target_id, detail FROM audit_log WHERE organisation_id = ? ORDER BY seq',
    organisationId,
  );

// ---- API keys ----------------------------------------------------------------------------------

describe('API keys', () => {
  let server: TestServer;
  let owner: AuthSession;
  beforeAll(async () => {
    server = await startTestServer(livekit);
    owner = await signUp(server.api, 'keys-owner');
  });
  afterAll(() => server.close());

  const createKey = (scopes: string[], name = 'Reporting') =>
    server.api.ok('createApiKey', { token: owner.tokens.accessToken, body: { name, scopes } });

  it('is made by owners and admins, shown once, listed by prefix, name and scopes, stored hashed', async () => {
    const member = await addPerson(server.api, owner, 'keys-member', 'member');
    const refused = await server.api.call('createApiKey', {
      token: member.tokens.accessToken,
      body: { name: 'mine', scopes: ['meetings:read'] },
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const created = await createKey(['meetings:read', 'chat:write']);
    expect(created.key).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toMatchObject({
      name: 'Reporting',
      scopes: ['meetings:read', 'chat:write'],
      prefix: created.key.slice(0, 12),
      createdBy: owner.user.id,
      lastUsedAt: null,
      revokedAt: null,
    });
    const listed = await server.api.ok('listApiKeys', { token: owner.tokens.accessToken });
    expect(listed.apiKeys.find((k) => k.id === created.apiKey.id)).toEqual(created.apiKey);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const [row] = await onDatabase(server, 'SELECT * FROM api_keys WHERE id = ?', created.apiKey.id);
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(row?.['secret_hash']).toMatch(/^[0-9a-f]{64}$/);

    const bad = await server.api.call('createApiKey', {
      token: owner.tokens.accessToken,
      body: { name: 'x', scopes: ['meetings:read', 'everything'] },
    });
    expect(bad.status).toBe(400);
  });

  it('authenticates as the organisation and calls only the routes its scopes name', async () => {
    const { key, apiKey } = await createKey(['meetings:read', 'chat:write']);
    const meeting = await server.api.ok('createMeeting', {
      token: owner.tokens.accessToken,
      body: { title: 'Quarterly review', invitees: [] },
    });

    // meetings:read: the organisation's meetings it may see.
    expect((await server.api.ok('getMeeting', { token: key, params: { meetingId: meeting.id } })).title).toBe(
      'Quarterly review',
    );
    // No meetings:write.
    const write = await server.api.call('createMeeting', { token: key, body: { title: 'Nope' } });
    expect(write).toMatchObject({
      status: 403,
      body: { error: { code: 'insufficient_scope', message: 'this API key does not have the scope meetings:write' } },
    });
    // Routes without a scope refuse keys: people, integrations themselves, the session.
    for (const call of [
      server.api.call('listApiKeys', { token: key }),
      server.api.call('me', { token: key }),
      server.api.call('createUser', {
        token: key,
        body: { email: 'x@tandem.example', name: 'X', password: 'long enough password', role: 'admin' },
      }),
    ]) {
      expect(await call).toMatchObject({ status: 403, body: { error: { code: 'insufficient_scope' } } });
    }
    expect((await server.api.call('listApiKeys', { token: key })).body).toMatchObject({
      error: { message: 'GET /integrations/api-keys does not accept API keys' },
    });

    // chat:write: what it writes has an author, its service account, named after the key.
    const channel = await server.api.ok('createChannel', { token: key, body: { name: 'alerts' } });
    const sent = await server.api.ok('sendMessage', {
      token: key,
      params: { conversationId: channel.id },
      body: { clientId: randomUUID(), body: 'Build 42 passed' },
    });
    const author = await server.api.ok('getUser', {
      token: owner.tokens.accessToken,
      params: { userId: sent.authorId },
    });
    expect(author.name).toBe('Reporting (integration)');
    // …who is no person of the organisation's list.
    const people = await server.api.ok('listUsers', { token: owner.tokens.accessToken });
    expect(people.users.map((u) => u.id)).not.toContain(sent.authorId);
    // …nor can it be renamed, promoted or deactivated as one: it changes only with its key.
    for (const call of [
      server.api.call('updateUser', {
        token: owner.tokens.accessToken,
        params: { userId: sent.authorId },
        body: { name: 'Not the key any more' },
      }),
      server.api.call('deactivateUser', { token: owner.tokens.accessToken, params: { userId: sent.authorId } }),
    ]) {
      expect(await call).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
    // chat:read it lacks.
    expect((await server.api.call('history', { token: key, params: { conversationId: channel.id } })).status).toBe(403);

    const used = (await server.api.ok('listApiKeys', { token: owner.tokens.accessToken })).apiKeys.find(
      (k) => k.id === apiKey.id,
    );
    expect(used?.lastUsedAt).not.toBeNull();
  });

  it('sees only its own organisation: another one’s meeting is not found', async () => {
    const { key } = await createKey(['meetings:read']);
    const stranger = await signUp(server.api, 'keys-stranger');
    const theirs = await server.api.ok('createMeeting', {
      token: stranger.tokens.accessToken,
      body: { title: 'Theirs' },
    });
    expect(await server.api.call('getMeeting', { token: key, params: { meetingId: theirs.id } })).toMatchObject({
      status: 404,
    });
    const listed = await server.api.ok('listMeetings', { token: key, query: { scope: 'organisation' } });
    expect(listed.meetings.map((m) => m.id)).not.toContain(theirs.id);
  });

  it('reads the audit log, list and export, only with audit:read', async () => {
    const reader = await createKey(['audit:read'], 'SIEM');
    const other = await createKey(['meetings:read'], 'Not the SIEM');
    const page = await server.api.ok('listAudit', { token: reader.key });
    expect(page.entries.some((e) => e.action === 'api_key.created' && e.target?.id === reader.apiKey.id)).toBe(true);
    expect(await server.api.call('listAudit', { token: other.key })).toMatchObject({
      status: 403,
      body: { error: { code: 'insufficient_scope', message: 'this API key does not have the scope audit:read' } },
    });
    const exportAs = (key: string) =>
      fetch(`${server.url}/audit/export?format=json`, { headers: { authorization: `Bearer ${key}` } });
    const exported = await exportAs(reader.key);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
    const refused = await exportAs(other.key);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'insufficient_scope' } });
  });

  it('is refused once revoked, and unknown or malformed keys are refused alike; both are audited', async () => {
    const { key, apiKey } = await createKey(['meetings:read'], 'Short-lived');
    expect((await server.api.call('listMeetings', { token: key })).status).toBe(200);
    await server.api.ok('revokeApiKey', { token: owner.tokens.accessToken, params: { apiKeyId: apiKey.id } });
    for (const token of [key, `tdm_${'A'.repeat(43)}`, 'tdm_short']) {
      expect(await server.api.call('listMeetings', { token })).toMatchObject({
        status: 401,
        body: { error: { code: 'unauthenticated' } },
      });
    }
    const listed = (await server.api.ok('listApiKeys', { token: owner.tokens.accessToken })).apiKeys.find(
      (k) => k.id === apiKey.id,
    );
    expect(listed?.revokedAt).not.toBeNull();
    // Another organisation's key id is not found.
    const stranger = await signUp(server.api, 'keys-revoker');
    expect(
      await server.api.call('revokeApiKey', { token: stranger.tokens.accessToken, params: { apiKeyId: apiKey.id } }),
    ).toMatchObject({ status: 404 });

    const audit = (await auditRows(server, owner.user.organisationId)).filter((r) => r.target_id === apiKey.id);
    expect(audit.map((r) => [r.action, r.actor_kind, r.actor_id])).toEqual([
      ['api_key.created', 'person', owner.user.id],
      ['api_key.revoked', 'person', owner.user.id],
    ]);
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toEqual({ prefix: apiKey.prefix, scopes: 'meetings:read' });
  });
});

// ---- webhooks ----------------------------------------------------------------------------------

describe('outgoing webhooks', () => {
  let server: TestServer;
  let owner: AuthSession;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    server = await startTestServer(livekit, {
      webhooks: { allowPrivate: true, retryBaseMs: 100, maxAttempts: 4, timeoutMs: 2_000, disableAfterFailures: 2 },
    });
    owner = await signUp(server.api, 'hooks-owner');
  });
  afterAll(() => server.close());
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });

  async function receiverFor(who: AuthSession, events: string[]) {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const created = await server.api.ok('createWebhook', {
      token: who.tokens.accessToken,
      body: { url: receiver.url, events, description: 'test receiver' },
    });
    receiver.secret = created.secret;
    return { receiver, endpoint: created.endpoint, secret: created.secret };
  }

  const attempts = (who: AuthSession, webhookId: string) =>
    server.api.ok('listWebhookAttempts', { token: who.tokens.accessToken, params: { webhookId } });

  it('delivers signed events a receiver verifies, to the endpoints of the same organisation only', async () => {
    const { receiver, endpoint, secret } = await receiverFor(owner, [
      'message.created',
      'decision.created',
      'decision.updated',
    ]);
    expect(secret).toMatch(/^whsec_/);
    const listed = await server.api.ok('listWebhooks', { token: owner.tokens.accessToken });
    expect(listed.endpoints).toEqual([endpoint]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const stranger = await signUp(server.api, 'hooks-stranger');
    const theirs = await receiverFor(stranger, ['message.created']);

    const channel = await server.api.ok('createChannel', {
      token: owner.tokens.accessToken,
      body: { name: 'general' },
    });
    const sent = await server.api.ok('sendMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: channel.id },
      body: { clientId: randomUUID(), body: 'Hello, integrations' },
    });
    const message = await receiver.next((r) => r.event.type === 'message.created');
    expect(message.event).toMatchObject({
      type: 'message.created',
      organisation: owner.user.organisationId,
      data: { conversation: { id: channel.id }, message: { messageId: sent.messageId, body: 'Hello, integrations' } },
    });
    expect(message.headers['tandem-event-id']).toBe(message.event.id);
    expect(message.headers['content-type']).toBe('application/json');
    expect(receiver.forged).toBe(0);

    const decision = await server.api.ok('createDecision', {
      token: owner.tokens.accessToken,
      body: { clientId: randomUUID(), title: 'Ship on Friday' },
    });
    await server.api.ok('updateDecision', {
      token: owner.tokens.accessToken,
      params: { decisionId: decision.id },
      body: { status: 'agreed' },
    });
    const created = await receiver.next((r) => r.event.type === 'decision.created');
    const updated = await receiver.next((r) => r.event.type === 'decision.updated');
    expect(created.event).toMatchObject({ data: { decision: { id: decision.id, version: 1 } } });
    expect(updated.event).toMatchObject({ data: { decision: { id: decision.id, status: 'agreed', version: 2 } } });

    // The other organisation's endpoint heard nothing of this one's events.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(theirs.receiver.received).toEqual([]);
    // A forged signature is what the receiver refuses: the secret matters.
    receiver.secret = 'whsec_someone-else';
    await server.api.ok('sendMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: channel.id },
      body: { clientId: randomUUID(), body: 'Signed with the real secret' },
    });
    await until('the receiver refused it', async () => (receiver.forged > 0 ? true : undefined));
    receiver.secret = secret;

    const log = await attempts(owner, endpoint.id);
    expect(
      log.attempts
        .filter((a) => a.outcome === 'succeeded')
        .map((a) => a.eventType)
        .sort(),
    ).toEqual(['decision.created', 'decision.updated', 'message.created']);
  });

  it('retries a receiver that fails twice with backoff, the same event each time, all in the delivery log', async () => {
    const { receiver, endpoint } = await receiverFor(owner, ['decision.created']);
    receiver.script = [500, 503];
    const decision = await server.api.ok('createDecision', {
      token: owner.tokens.accessToken,
      body: { clientId: randomUUID(), title: 'Retry me' },
    });
    const delivered = await receiver.next((r) => r.event.type === 'decision.created');
    expect(delivered.event).toMatchObject({ data: { decision: { id: decision.id } } });
    const log = await until('three attempts logged', async () => {
      const { attempts: all } = await attempts(owner, endpoint.id);
      return all.length >= 3 ? all : undefined;
    });
    expect(
      [...log].reverse().map((a) => [a.attempt, a.outcome, a.responseStatus, a.eventId === delivered.event.id]),
    ).toEqual([
      [1, 'retrying', 500, true],
      [2, 'retrying', 503, true],
      [3, 'succeeded', 200, true],
    ]);
    expect(log.find((a) => a.attempt === 1)?.error).toBe('answered 500');
    // The second try waited at least half the base delay after the first.
    const [first, second] = [...log].reverse();
    expect(Date.parse(second?.at ?? '') - Date.parse(first?.at ?? '')).toBeGreaterThanOrEqual(50);
    const after = await server.api.ok('listWebhooks', { token: owner.tokens.accessToken });
    expect(after.endpoints.find((e) => e.id === endpoint.id)?.consecutiveFailures).toBe(0);
  });

  it('gives up after the last attempt, does not retry a 4xx, and turns an endpoint off after failures in a row', async () => {
    const { receiver, endpoint } = await receiverFor(owner, ['decision.created']);
    receiver.script = [500, 500, 500, 500, 410];
    const create = (title: string) =>
      server.api.ok('createDecision', { token: owner.tokens.accessToken, body: { clientId: randomUUID(), title } });
    await create('Never delivered');
    const failed = await until('four attempts, the last failed', async () => {
      const { attempts: all } = await attempts(owner, endpoint.id);
      return all.some((a) => a.outcome === 'failed') ? all : undefined;
    });
    expect([...failed].reverse().map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'retrying'],
      [2, 'retrying'],
      [3, 'retrying'],
      [4, 'failed'],
    ]);
    await create('Gone for good');
    const gone = await until('the 410 failed at once', async () => {
      const { attempts: all } = await attempts(owner, endpoint.id);
      return all.length === 5 ? all[0] : undefined;
    });
    expect(gone).toMatchObject({ attempt: 1, outcome: 'failed', responseStatus: 410 });
    const off = (await server.api.ok('listWebhooks', { token: owner.tokens.accessToken })).endpoints.find(
      (e) => e.id === endpoint.id,
    );
    expect(off).toMatchObject({ enabled: false, consecutiveFailures: 2 });
    expect(off?.disabledReason).toMatch(/failed deliveries/);
    // Off, it is sent nothing; turned on again, it is sent the next events.
    await create('While off');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await attempts(owner, endpoint.id)).attempts).toHaveLength(5);
    const on = await server.api.ok('updateWebhook', {
      token: owner.tokens.accessToken,
      params: { webhookId: endpoint.id },
      body: { enabled: true },
    });
    expect(on).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    await create('After');
    expect((await receiver.next()).event).toMatchObject({ data: { decision: { title: 'After' } } });
  });

  it('is managed by owners and admins of its organisation only, and every change is audited', async () => {
    const { endpoint } = await receiverFor(owner, ['message.created']);
    const member = await addPerson(server.api, owner, 'hooks-member', 'member');
    const stranger = await signUp(server.api, 'hooks-outsider');
    expect((await server.api.call('listWebhooks', { token: member.tokens.accessToken })).status).toBe(403);
    expect(
      (
        await server.api.call('deleteWebhook', {
          token: stranger.tokens.accessToken,
          params: { webhookId: endpoint.id },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await server.api.call('listWebhookAttempts', {
          token: stranger.tokens.accessToken,
          params: { webhookId: endpoint.id },
        })
      ).status,
    ).toBe(404);
    const changed = await server.api.ok('updateWebhook', {
      token: owner.tokens.accessToken,
      params: { webhookId: endpoint.id },
      body: { events: ['message.created', 'meeting.started'], description: 'renamed' },
    });
    expect(changed).toMatchObject({ events: ['message.created', 'meeting.started'], description: 'renamed' });
    await server.api.ok('deleteWebhook', { token: owner.tokens.accessToken, params: { webhookId: endpoint.id } });
    expect(
      (
        await server.api.call('listWebhookAttempts', {
          token: owner.tokens.accessToken,
          params: { webhookId: endpoint.id },
        })
      ).status,
    ).toBe(404);
    const audit = (await auditRows(server, owner.user.organisationId)).filter((r) => r.target_id === endpoint.id);
    expect(audit.map((r) => r.action)).toEqual(['webhook.created', 'webhook.updated', 'webhook.deleted']);
    expect(JSON.parse(audit[1]?.detail ?? '{}')).toMatchObject({ fields: 'description events' });
  });
});

describe('meeting events from LiveKit’s room lifecycle', () => {
  let livekitWithHooks: RunningLivekit;
  let server: TestServer;
  beforeAll(async () => {
    [livekitWithHooks, server] = await webhookPair(
      '/livekit/webhook',
      (url) => startLivekit({ webhookUrls: [url] }),
      (livekit, port) => startTestServer(livekit, { port, webhooks: { allowPrivate: true } }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await livekitWithHooks?.stop();
  });

  it('announces meeting.started when its room starts and meeting.ended when a host ends it', async () => {
    const host = await signUp(server.api, 'hooks-host');
    const receiver = await startReceiver();
    try {
      const created = await server.api.ok('createWebhook', {
        token: host.tokens.accessToken,
        body: { url: receiver.url, events: ['meeting.started', 'meeting.ended'] },
      });
      receiver.secret = created.secret;
      const meeting = await server.api.ok('createMeeting', {
        token: host.tokens.accessToken,
        body: { title: 'Stand-up' },
      });
      await server.api.ok('joinMeeting', {
        token: host.tokens.accessToken,
        params: { meetingId: meeting.id },
        body: {},
      });
      const started = await receiver.next((r) => r.event.type === 'meeting.started');
      expect(started.event).toMatchObject({ data: { meeting: { id: meeting.id, title: 'Stand-up', status: 'live' } } });
      await server.api.ok('endMeeting', { token: host.tokens.accessToken, params: { meetingId: meeting.id } });
      const ended = await receiver.next((r) => r.event.type === 'meeting.ended');
      expect(ended.event).toMatchObject({ data: { meeting: { id: meeting.id, status: 'ended' } } });
    } finally {
      await receiver.close();
    }
  });
});

describe('the delivery queue survives a restart', () => {
  it('sends after a restart what was still to be retried before it', async () => {
    const settings = { allowPrivate: true, retryBaseMs: 4_000, maxAttempts: 3 };
    const receiver = await startReceiver();
    try {
      const first = await startTestServer(livekit, { webhooks: settings });
      const owner = await signUp(first.api, 'hooks-restart');
      const created = await first.api.ok('createWebhook', {
        token: owner.tokens.accessToken,
        body: { url: receiver.url, events: ['decision.created'] },
      });
      receiver.secret = created.secret;
      receiver.script = [503];
      const decision = await first.api.ok('createDecision', {
        token: owner.tokens.accessToken,
        body: { clientId: randomUUID(), title: 'Survives a restart' },
      });
      const log = (server: TestServer) =>
        server.api.ok('listWebhookAttempts', {
          token: owner.tokens.accessToken,
          params: { webhookId: created.endpoint.id },
        });
      await until('the first attempt failed', async () =>
        (await log(first)).attempts.length === 1 ? true : undefined,
      );
      // The retry is due in 2 to 4 s: the first server is gone by then, and only the queue remains.
      const closedAt = Date.now();
      const second = await first.restart();
      try {
        const delivered = await receiver.next();
        expect(delivered.event).toMatchObject({ type: 'decision.created', data: { decision: { id: decision.id } } });
        // The server records the attempt once the receiver's answer is back: after the receiver saw it.
        const { attempts } = await until('the second attempt recorded', async () => {
          const logged = await log(second);
          return logged.attempts.length === 2 ? logged : undefined;
        });
        expect([...attempts].reverse().map((a) => [a.attempt, a.outcome, a.eventId])).toEqual([
          [1, 'retrying', delivered.event.id],
          [2, 'succeeded', delivered.event.id],
        ]);
        expect(Date.parse(attempts[0]?.at ?? '')).toBeGreaterThanOrEqual(closedAt);
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
    }
  });
});

describe('a message is queued for webhooks once, from the change stream', () => {
  it('queues one its instance wrote but died before queueing when the server starts again, and none from before an endpoint or while it was off', async () => {
    const receiver = await startReceiver();
    let server = await startTestServer(livekit, { webhooks: { allowPrivate: true } });
    try {
      const owner = await signUp(server.api, 'hooks-stream');
      const token = owner.tokens.accessToken;
      const channel = await server.api.ok('createChannel', { token, body: { name: 'stream' } });
      const send = (body: string) =>
        server.api.ok('sendMessage', {
          token,
          params: { conversationId: channel.id },
          body: { clientId: randomUUID(), body },
        });
      await send('Before the endpoint');
      const created = await server.api.ok('createWebhook', {
        token,
        body: { url: receiver.url, events: ['message.created'] },
      });
      receiver.secret = created.secret;
      const setEnabled = (enabled: boolean) =>
        server.api.ok('updateWebhook', { token, params: { webhookId: created.endpoint.id }, body: { enabled } });
      const live = await send('Live');
      expect((await receiver.next()).event).toMatchObject({
        type: 'message.created',
        data: { conversation: { id: channel.id, latestSeq: live.seq }, message: { messageId: live.messageId } },
      });
      await setEnabled(false);
      await send('While off');
      await setEnabled(true);
      // Turned on while already on: nothing written meanwhile is skipped.
      await send('After');
      await setEnabled(true);
      await until('After delivered', async () => (receiver.received.length === 2 ? true : undefined));

      // As an instance leaves it that died between committing a message and queueing it: in the
      // database, announced to nobody.
      const store = await openStore(server.databasePath);
      try {
        await store.chat.append({
          conversationId: channel.id,
          clientId: randomUUID(),
          messageId: randomUUID(),
          authorId: owner.user.id,
          type: 'message',
          body: 'Left by an instance that died',
          createdAt: new Date().toISOString(),
        });
      } finally {
        await store.close();
      }
      server = await server.restart();
      await receiver.next((r) => messageBody(r) === 'Left by an instance that died');
      // Nothing else comes, and nothing twice.
      await send('Last');
      await receiver.next((r) => messageBody(r) === 'Last');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.received.map(messageBody)).toEqual(['Live', 'After', 'Left by an instance that died', 'Last']);
      expect(new Set(receiver.received.map((r) => r.event.id)).size).toBe(4);
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

// ---- SSRF --------------------------------------------------------------------------------------

describe('webhook targets inside the server’s network are refused', () => {
  let server: TestServer;
  let owner: AuthSession;
  beforeAll(async () => {
    server = await startTestServer(livekit, { webhooks: { retryBaseMs: 100, maxAttempts: 2 } });
    owner = await signUp(server.api, 'ssrf-owner');
  });
  afterAll(() => server.close());

  const register = (url: string) =>
    server.api.call('createWebhook', { token: owner.tokens.accessToken, body: { url, events: ['message.created'] } });

  it.each([
    ['http://127.0.0.1:8787/hooks', /127\.0\.0\.1 is a loopback address/],
    ['http://localhost:8787/hooks', /localhost resolves to .*, which is a loopback address/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[fd00:ec2::254]/', /private/],
    ['http://10.0.0.8/', /private/],
    ['http://192.168.1.10/', /private/],
    ['http://100.64.0.1/', /shared/],
    ['http://[::ffff:127.0.0.1]/', /loopback/],
    ['http://[::ffff:a9fe:a9fe]/', /link-local/],
    ['http://2130706433/', /loopback/],
    ['http://0.0.0.0/', /unspecified/],
    ['http://ada:secret@93.184.216.34/', /user name or password/],
    ['http://does-not-exist.invalid/', /does not resolve/],
  ])('%s', async (url, why) => {
    const reply = await register(url);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'bad_request', issues: [{ path: 'url' }] } });
    expect(JSON.stringify(reply.body)).toMatch(why);
  });

  it('refuses schemes other than http and https', async () => {
    for (const url of ['ftp://93.184.216.34/', 'file:///etc/passwd', 'gopher://93.184.216.34/']) {
      expect((await register(url)).status).toBe(400);
    }
  });

  it('refuses the same when a URL is changed', async () => {
    const created = await server.api.ok('createWebhook', {
      token: owner.tokens.accessToken,
      body: { url: 'https://93.184.216.34/hooks', events: ['meeting.started'] },
    });
    const changed = await server.api.call('updateWebhook', {
      token: owner.tokens.accessToken,
      params: { webhookId: created.endpoint.id },
      body: { url: 'http://169.254.169.254/' },
    });
    expect(changed).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'url' }] } } });
  });

  it('checks again at delivery: an endpoint that now points inside the network is sent nothing', async () => {
    const receiver = await startReceiver();
    try {
      const created = await server.api.ok('createWebhook', {
        token: owner.tokens.accessToken,
        body: { url: 'https://93.184.216.34/hooks', events: ['message.created'] },
      });
      receiver.secret = created.secret;
      // As if its host's DNS answered a loopback address now: the stored URL is what the worker reads.
      await onDatabase(server, 'UPDATE webhook_endpoints SET url = ? WHERE id = ?', receiver.url, created.endpoint.id);
      const channel = await server.api.ok('createChannel', { token: owner.tokens.accessToken, body: { name: 'ssrf' } });
      await server.api.ok('sendMessage', {
        token: owner.tokens.accessToken,
        params: { conversationId: channel.id },
        body: { clientId: randomUUID(), body: 'must not leave' },
      });
      const [attempt] = await until('the refused attempt', async () => {
        const { attempts } = await server.api.ok('listWebhookAttempts', {
          token: owner.tokens.accessToken,
          params: { webhookId: created.endpoint.id },
        });
        return attempts.length > 0 ? attempts : undefined;
      });
      // A refusal is final: not retried against a target that is not allowed.
      expect(attempt).toMatchObject({ attempt: 1, outcome: 'failed', responseStatus: null });
      expect(attempt?.error).toMatch(/127\.0\.0\.1 is a loopback address/);
      expect(receiver.received).toEqual([]);
      expect(receiver.forged).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('with WEBHOOK_ALLOW_PRIVATE, loopback is allowed for tests, but never the metadata service', async () => {
    const permissive = await startTestServer(livekit, { webhooks: { allowPrivate: true } });
    try {
      const admin = await signUp(permissive.api, 'ssrf-tests');
      const call = (url: string) =>
        permissive.api.call('createWebhook', {
          token: admin.tokens.accessToken,
          body: { url, events: ['message.created'] },
        });
      expect((await call('http://127.0.0.1:9/hooks')).status).toBe(201);
      expect((await call('http://169.254.169.254/latest/meta-data/')).status).toBe(400);
      expect((await call('http://[fe80::1]/')).status).toBe(400);
    } finally {
      await permissive.close();
    }
  });
});
