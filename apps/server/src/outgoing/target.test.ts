import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postPinned } from './post.ts';
import { TargetRefused, checkTargetForm, resolveTarget, type Lookup, type ResolvedAddress } from './target.ts';

/**
 * Target checks and the pinned connection. Names that resolve to public addresses cannot exist
 * here (no network), so a stand-in DNS answers them: the narrowest seam, `Lookup`.
 */

const answering =
  (...answers: (readonly ResolvedAddress[])[]): Lookup =>
  async () => {
    const next = answers.shift();
    if (next === undefined) throw Object.assign(new Error('no more answers'), { code: 'ENOTFOUND' });
    return next;
  };
const PUBLIC: ResolvedAddress = { address: '93.184.216.34', family: 4 };
const LOOPBACK: ResolvedAddress = { address: '127.0.0.1', family: 4 };

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(handler: (headers: IncomingHttpHeaders) => number | null): Promise<number> {
  const server = createServer((req, res) => {
    const status = handler(req.headers);
    req.resume();
    if (status !== null) res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

describe('resolveTarget (with a stand-in DNS)', () => {
  const url = new URL('https://hooks.example.com/in');

  it('answers the public address a name resolves to', async () => {
    await expect(resolveTarget(url, { allowPrivate: false, lookup: answering([PUBLIC]) })).resolves.toEqual(PUBLIC);
  });

  it('refuses a name with any address inside the network, even beside public ones', async () => {
    await expect(
      resolveTarget(url, { allowPrivate: false, lookup: answering([PUBLIC, { address: '10.0.0.7', family: 4 }]) }),
    ).rejects.toThrow(/hooks\.example\.com resolves to 10\.0\.0\.7, which is a private address/);
  });

  it('judges each delivery by a fresh answer: a name that rebinds to loopback is refused then', async () => {
    const policy = { allowPrivate: false, lookup: answering([PUBLIC], [LOOPBACK]) };
    await expect(resolveTarget(url, policy)).resolves.toEqual(PUBLIC);
    await expect(resolveTarget(url, policy)).rejects.toBeInstanceOf(TargetRefused);
  });

  it('refuses a name that does not resolve', async () => {
    await expect(resolveTarget(url, { allowPrivate: false, lookup: answering() })).rejects.toThrow(/does not resolve/);
  });
});

describe('checkTargetForm', () => {
  it.each([
    ['ftp://hooks.example.com/', /only http and https/],
    ['https://user:pw@hooks.example.com/', /user name or password/],
    ['not a url', /not a URL/],
  ])('%s', (raw, why) => {
    expect(() => checkTargetForm(raw)).toThrow(why);
  });
});

describe('postPinned against a real local server', () => {
  it('connects to the checked address, not to what the name resolves to now, keeping the Host header', async () => {
    let host: string | undefined;
    const port = await listen((headers) => {
      host = headers.host;
      return 204;
    });
    // `rebind.test` resolves nowhere: the request can only have reached the pinned address.
    const status = await postPinned(new URL(`http://rebind.test:${port}/in`), LOOPBACK, '{}', {}, 2_000);
    expect(status).toBe(204);
    expect(host).toBe(`rebind.test:${port}`);
  });

  it('gives up when the receiver never answers', async () => {
    const port = await listen(() => null);
    const started = Date.now();
    await expect(postPinned(new URL(`http://127.0.0.1:${port}/`), LOOPBACK, '{}', {}, 300)).rejects.toMatchObject({
      name: expect.stringMatching(/TimeoutError|AbortError/) as unknown,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
