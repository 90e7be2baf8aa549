import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError, providerErrorToApi } from './providerError.ts';
import { parseRetryAfter, providerHttp } from './providerHttp.ts';
import { startFakeApi, recordingRuntime, type FakeApi, type FakeReply } from './testing/fakeApi.ts';
import { cachedTokenSource } from './tokenSource.ts';

const Item = z.object({ id: z.string() });

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Answers with `replies` in order, then repeats the last one. */
async function scripted(replies: readonly FakeReply[]): Promise<FakeApi> {
  let next = 0;
  api = await startFakeApi(() => replies[Math.min(next++, replies.length - 1)] ?? { status: 500 });
  return api;
}

function tokensCounting() {
  let issued = 0;
  const source = cachedTokenSource(async () => {
    issued += 1;
    return { value: `token-${issued}`, expiresAtMs: Date.now() + 3_600_000 };
  });
  return { source, issued: () => issued };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Thu, 26 Nov 2026 10:00:30 GMT', 30_000],
    ['Thu, 26 Nov 2026 09:59:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%s → %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('providerHttp against a local HTTP server', () => {
  it('sends the bearer token, JSON body and query, and validates the response', async () => {
    const fake = await scripted([{ json: { id: 'm1' } }]);
    const { source } = tokensCounting();
    const http = providerHttp('zoom', fake.url, source, recordingRuntime());
    await expect(http.call(Item, 'POST', '/v2/things', { query: { a: 'b c' }, body: { topic: 'x' } })).resolves.toEqual(
      { id: 'm1' },
    );
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v2/things', body: '{"topic":"x"}' });
    expect(request?.query.get('a')).toBe('b c');
    expect(request?.headers.authorization).toBe('Bearer token-1');
    expect(request?.headers['content-type']).toBe('application/json');
  });

  it('refreshes the token once after a 401 (expired token) and succeeds', async () => {
    const fake = await scripted([
      { status: 401, json: { code: 124, message: 'Invalid access token.' } },
      { json: { id: 'm1' } },
    ]);
    const tokens = tokensCounting();
    const http = providerHttp('zoom', fake.url, tokens.source, recordingRuntime());
    await expect(http.call(Item, 'GET', '/v2/meetings/1')).resolves.toEqual({ id: 'm1' });
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('gives up with unauthorized when the fresh token is refused too', async () => {
    const fake = await scripted([{ status: 401 }]);
    const tokens = tokensCounting();
    const http = providerHttp('google', fake.url, tokens.source, recordingRuntime());
    const error = await failure(http.call(Item, 'GET', '/x'));
    expect(error.toJSON()).toMatchObject({ provider: 'google', code: 'unauthorized' });
    expect(fake.requests).toHaveLength(2);
  });

  it('waits Retry-After seconds on 429, then succeeds', async () => {
    const fake = await scripted([{ status: 429, headers: { 'retry-after': '2' } }, { json: { id: 'm1' } }]);
    const runtime = recordingRuntime();
    const http = providerHttp('microsoft', fake.url, tokensCounting().source, runtime);
    await expect(http.call(Item, 'GET', '/x')).resolves.toEqual({ id: 'm1' });
    expect(runtime.slept).toEqual([2_000]);
  });

  it('honours an HTTP-date Retry-After on 503', async () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    const fake = await scripted([
      { status: 503, headers: { 'retry-after': 'Thu, 26 Nov 2026 10:00:05 GMT' } },
      { json: { id: 'm1' } },
    ]);
    const runtime = recordingRuntime({ now: () => now });
    const tokens = cachedTokenSource(
      async () => ({ value: 't', expiresAtMs: now + 3_600_000 }),
      () => now,
    );
    const http = providerHttp('microsoft', fake.url, tokens, runtime);
    await expect(http.call(Item, 'GET', '/x')).resolves.toEqual({ id: 'm1' });
    expect(runtime.slept).toEqual([5_000]);
  });

  it('stops after the bounded attempts with rate_limited and the wait to honour', async () => {
    const fake = await scripted([{ status: 429, headers: { 'retry-after': '1' } }]);
    const runtime = recordingRuntime({ maxAttempts: 3 });
    const http = providerHttp('zoom', fake.url, tokensCounting().source, runtime);
    const error = await failure(http.call(Item, 'GET', '/x'));
    expect(error.toJSON()).toMatchObject({ code: 'rate_limited', retryAfterMs: 1_000 });
    expect(fake.requests).toHaveLength(3);
    expect(runtime.slept).toEqual([1_000, 1_000]);
    expect(providerErrorToApi(error).error.code).toBe('rate_limited');
  });

  it('does not sleep through a Retry-After longer than the limit', async () => {
    const fake = await scripted([{ status: 429, headers: { 'retry-after': '3600' } }]);
    const runtime = recordingRuntime({ maxRetryWaitMs: 30_000 });
    const http = providerHttp('zoom', fake.url, tokensCounting().source, runtime);
    const error = await failure(http.call(Item, 'GET', '/x'));
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(runtime.slept).toEqual([]);
  });

  it.each([
    [{ status: 404, json: { code: 3001, message: 'Meeting does not exist' } }, 'not_found'],
    [{ status: 500 }, 'unavailable'],
    [{ status: 400, json: { error: { code: 'BadRequest' } } }, 'bad_response'],
    [{ json: { id: 42 } }, 'bad_response'],
    [{ raw: '<html>proxy error</html>' }, 'bad_response'],
  ] as const)('maps %j to %s', async (reply, code) => {
    const fake = await scripted([reply]);
    const http = providerHttp('zoom', fake.url, tokensCounting().source, recordingRuntime());
    expect((await failure(http.call(Item, 'GET', '/x'))).code).toBe(code);
  });

  it('reports an unreachable provider as unavailable', async () => {
    const fake = await scripted([{ json: {} }]);
    await fake.close();
    api = undefined;
    const http = providerHttp('zoom', fake.url, tokensCounting().source, recordingRuntime());
    expect((await failure(http.call(Item, 'GET', '/x'))).code).toBe('unavailable');
  });
});

describe('cachedTokenSource', () => {
  it('reuses a token until shortly before expiry and shares one in-flight fetch', async () => {
    let now = 0;
    let fetches = 0;
    const source = cachedTokenSource(
      async () => {
        fetches += 1;
        return { value: `t${fetches}`, expiresAtMs: now + 3_600_000 };
      },
      () => now,
    );
    expect(await Promise.all([source.get(), source.get()])).toEqual(['t1', 't1']);
    now = 3_600_000 - 120_000;
    expect(await source.get()).toBe('t1');
    now = 3_600_000 - 30_000;
    expect(await source.get()).toBe('t2');
    source.invalidate('t1');
    expect(await source.get()).toBe('t2');
    expect(await source.refresh()).toBe('t3');
  });
});
