import type { ApiKey, WebhookAttempt, WebhookEndpoint } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { attemptText, endpointStatus, keyStatus, withItem } from './format.ts';

const attempt = (over: Partial<WebhookAttempt>): WebhookAttempt => ({
  id: '00000000-0000-4000-8000-000000000001',
  eventId: '00000000-0000-4000-8000-000000000002',
  eventType: 'message.created',
  attempt: 1,
  at: '2026-11-26T10:00:00.000Z',
  outcome: 'succeeded',
  responseStatus: 200,
  durationMs: 12,
  error: null,
  ...over,
});

describe('integrations formatting', () => {
  it('reads a delivery attempt out in one line, with why it failed', () => {
    expect(attemptText(attempt({}))).toBe('message.created · attempt 1 · Delivered · HTTP 200 · 12 ms');
    expect(attemptText(attempt({ attempt: 2, outcome: 'retrying', responseStatus: 503, error: 'answered 503' }))).toBe(
      'message.created · attempt 2 · Failed, will retry · HTTP 503 · 12 ms — answered 503',
    );
    expect(
      attemptText(attempt({ outcome: 'failed', responseStatus: null, error: '127.0.0.1 is a loopback address' })),
    ).toBe('message.created · attempt 1 · Failed · no answer · 12 ms — 127.0.0.1 is a loopback address');
  });

  it('says whether a key was used or revoked, and why an endpoint is off', () => {
    const key = { lastUsedAt: null, revokedAt: null } as ApiKey;
    const when = (iso: string) => iso.slice(0, 10);
    expect(keyStatus(key, when)).toBe('Never used');
    expect(keyStatus({ ...key, lastUsedAt: '2026-11-26T10:00:00.000Z' }, when)).toBe('Last used 2026-11-26');
    expect(keyStatus({ ...key, revokedAt: '2026-11-27T10:00:00.000Z' }, when)).toBe('Revoked 2026-11-27');
    const endpoint = { enabled: false, disabledReason: 'too many failures' } as WebhookEndpoint;
    expect(endpointStatus(endpoint)).toBe('Off: too many failures');
    expect(endpointStatus({ ...endpoint, enabled: true })).toBe('On');
  });

  it('replaces an item in place or puts a new one first', () => {
    expect(withItem([{ id: 'a', n: 1 }], { id: 'a', n: 2 })).toEqual([{ id: 'a', n: 2 }]);
    expect(withItem([{ id: 'a', n: 1 }], { id: 'b', n: 3 })).toEqual([
      { id: 'b', n: 3 },
      { id: 'a', n: 1 },
    ]);
  });
});
