import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AuthSession, ChatEvent, ChatFile, ChatFileLink } from '@tandem/shared';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, resume, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

/** A real PNG's signature and header chunk, then bytes: enough for the server's content check. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.alloc(200, 7),
]);

/** Every file under `dir` (the storage's folders, scratch included). */
const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(dir, f)).isFile())
    : [];

describe('files in chat over real HTTP and WebSocket', () => {
  let server: TestServer;
  let small: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let linus: AuthSession;
  let stranger: AuthSession;
  let direct: string;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    // A server with a 1 KiB limit and one-second links, for limits and expiry.
    small = await startTestServer(livekit, { chatFiles: { maxBytes: 1024, linkTtlSeconds: 1 } });
    ada = await signUp(server.api, 'files-ada');
    grace = await addPerson(server.api, ada, 'files-grace', 'member');
    linus = await addPerson(server.api, ada, 'files-linus', 'member');
    stranger = await signUp(server.api, 'files-stranger');
    direct = (await server.api.ok('startDirect', { token: ada.tokens.accessToken, body: { userId: grace.user.id } }))
      .id;
  });
  afterAll(async () => {
    await server?.close();
    await small?.close();
  });

  const token = (who: AuthSession) => who.tokens.accessToken;
  const upload = (
    on: TestServer,
    who: AuthSession,
    conversationId: string,
    body: Uint8Array,
    type: string,
    name: string | null = 'picture.png',
  ) =>
    fetch(
      `${on.url}/conversations/${conversationId}/files${name === null ? '' : `?name=${encodeURIComponent(name)}`}`,
      { method: 'POST', headers: { authorization: `Bearer ${token(who)}`, 'content-type': type }, body },
    );
  const uploaded = async (who: AuthSession, conversationId: string, body: Uint8Array = PNG, type = 'image/png') => {
    const reply = await upload(server, who, conversationId, body, type);
    expect(reply.status).toBe(201);
    return (await reply.json()) as ChatFile;
  };
  const send = (who: AuthSession, conversationId: string, files: string[], clientId: string = randomUUID()) =>
    server.api.call('sendMessage', {
      token: token(who),
      params: { conversationId },
      body: { clientId, body: '', files },
    });
  const link = (on: TestServer, who: AuthSession, conversationId: string, fileId: string) =>
    on.api.call('chatFileLink', { token: token(who), params: { conversationId, fileId }, body: {} });
  const errorOf = async (reply: Response) => ({ status: reply.status, body: (await reply.json()) as unknown });

  it('uploads an image, attaches it to a message that reaches the other person live, and serves it through a link', async () => {
    const graceSocket = await connectWs(server.url, token(grace));
    await resume(graceSocket);
    const file = await uploaded(ada, direct);
    expect(file).toMatchObject({
      name: 'picture.png',
      contentType: 'image/png',
      sizeBytes: PNG.length,
      uploadedBy: ada.user.id,
    });

    const reply = await send(ada, direct, [file.id]);
    expect(reply.status).toBe(200);
    const event = reply.body as ChatEvent;
    const ref = { id: file.id, name: 'picture.png', contentType: 'image/png', sizeBytes: PNG.length };
    expect(event).toMatchObject({ type: 'message', body: '', files: [ref] });
    const heard = await graceSocket.next('chat.event', (m) => m.event.clientId === event.clientId);
    expect(heard.event).toMatchObject({ files: [ref] });
    graceSocket.close();

    // History replays it with its files.
    const history = await server.api.ok('history', { token: token(grace), params: { conversationId: direct } });
    expect(history.events.find((e) => e.clientId === event.clientId)).toMatchObject({ files: [ref] });

    const got = await link(server, grace, direct, file.id);
    expect(got.status).toBe(201);
    const { url, downloadUrl } = got.body as ChatFileLink;
    const shown = await fetch(url);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('image/png');
    expect(shown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(shown.headers.get('content-disposition')).toMatch(/^inline; filename="picture.png"/);
    expect(shown.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await shown.arrayBuffer())).toEqual(PNG);
    const saved = await fetch(downloadUrl);
    expect(saved.headers.get('content-disposition')).toBe(
      `attachment; filename="picture.png"; filename*=UTF-8''picture.png`,
    );
    expect(Buffer.from(await saved.arrayBuffer())).toEqual(PNG);
  });

  it('makes a small upright WebP thumbnail of a large photo once, keeps it, and has none for documents', async () => {
    // A 3000×2000 JPEG whose EXIF says "rotate 90°": upright it is 2000 wide and 3000 high.
    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#3a7bd5' } })
      .jpeg({ quality: 95 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const file = (await (await upload(server, ada, direct, photo, 'image/jpeg', 'beach.jpg')).json()) as ChatFile;
    expect((await send(ada, direct, [file.id])).status).toBe(200);
    const { thumbnailUrl } = (await link(server, grace, direct, file.id)).body as ChatFileLink;
    if (thumbnailUrl === null) throw new Error('an image has a thumbnail');
    const first = await fetch(thumbnailUrl);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/webp');
    expect(first.headers.get('content-security-policy')).toContain('sandbox');
    const bytes = Buffer.from(await first.arrayBuffer());
    const shape = await sharp(bytes).metadata();
    expect([shape.format, shape.width, shape.height]).toEqual(['webp', 427, 640]);
    expect(bytes.length).toBeLessThan(photo.length / 10);
    // Made once: the second answer is the kept file, byte for byte.
    expect(Buffer.from(await (await fetch(thumbnailUrl)).arrayBuffer())).toEqual(bytes);

    const text = (await (
      await upload(server, ada, direct, Buffer.from('minutes\n'), 'text/plain', 'm.txt')
    ).json()) as ChatFile;
    expect((await send(ada, direct, [text.id])).status).toBe(200);
    const textLink = (await link(server, grace, direct, text.id)).body as ChatFileLink;
    expect(textLink.thumbnailUrl).toBeNull();
    expect((await fetch(`${textLink.url}?thumbnail=1`)).status).toBe(404);

    // An image whose bytes libvips cannot read: refused as unsupported, nothing kept.
    const broken = (await (await upload(server, ada, direct, PNG, 'image/png', 'broken.png')).json()) as ChatFile;
    expect((await send(ada, direct, [broken.id])).status).toBe(200);
    const brokenLink = (await link(server, grace, direct, broken.id)).body as ChatFileLink;
    const refused = await fetch(brokenLink.thumbnailUrl ?? '');
    expect(refused.status).toBe(415);
    expect(await refused.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('serves documents as attachments only, named safely whatever their name holds', async () => {
    const name = 'Plan "Q3" – ünïcode.txt';
    const reply = await upload(server, ada, direct, Buffer.from('hello, world\n'), 'text/plain; charset=utf-8', name);
    expect(reply.status).toBe(201);
    const file = (await reply.json()) as ChatFile;
    expect(file.contentType).toBe('text/plain');
    expect((await send(ada, direct, [file.id])).status).toBe(200);
    const { url } = (await link(server, grace, direct, file.id)).body as ChatFileLink;
    const shown = await fetch(url);
    expect(shown.headers.get('content-disposition')).toBe(
      `attachment; filename="Plan _Q3_ _ _n_code.txt"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    expect(await shown.text()).toBe('hello, world\n');
  });

  it('refuses types it does not take, content that is not what it says, and programs, with 415', async () => {
    const refused = { status: 415, body: { error: { code: 'unsupported_media_type' } } };
    expect(await errorOf(await upload(server, ada, direct, PNG, 'application/x-msdownload'))).toMatchObject(refused);
    expect(await errorOf(await upload(server, ada, direct, PNG, 'image/svg+xml'))).toMatchObject(refused);
    expect(await errorOf(await upload(server, ada, direct, Buffer.from('not a picture'), 'image/png'))).toMatchObject(
      refused,
    );
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]);
    expect(await errorOf(await upload(server, ada, direct, exe, 'application/octet-stream'))).toMatchObject(refused);
    expect(
      await errorOf(await upload(server, ada, direct, Buffer.from('#!/bin/sh\nrm -rf /\n'), 'text/plain')),
    ).toMatchObject(refused);
    expect(await errorOf(await upload(server, ada, direct, Buffer.from([0x61, 0, 0x62]), 'text/plain'))).toMatchObject(
      refused,
    );
  });

  it('refuses names that are empty, too long, paths or control characters with 400', async () => {
    for (const name of [null, '', '   ', '../etc/passwd', 'a\\b.txt', 'bell\u0007.txt', '..', 'x'.repeat(201)]) {
      const reply = await upload(server, ada, direct, PNG, 'image/png', name);
      expect({ name, ...(await errorOf(reply)) }).toMatchObject({
        name,
        status: 400,
        body: { error: { code: 'bad_request' } },
      });
    }
  });

  it('refuses a file over the limit with 413, declared or not, and keeps nothing of it', async () => {
    const ada2 = await signUp(small.api, 'files-small-ada');
    const grace2 = await addPerson(small.api, ada2, 'files-small-grace', 'member');
    const dm = (await small.api.ok('startDirect', { token: token(ada2), body: { userId: grace2.user.id } })).id;
    const big = Buffer.concat([PNG, Buffer.alloc(4096, 1)]);
    expect(await errorOf(await upload(small, ada2, dm, big, 'image/png'))).toMatchObject({
      status: 413,
      body: { error: { code: 'payload_too_large' } },
    });
    // Without a declared length (a stream): counted as it arrives.
    const streamed = await fetch(`${small.url}/conversations/${dm}/files?name=big.png`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token(ada2)}`, 'content-type': 'image/png' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array(big));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(await errorOf(streamed)).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    expect(filesUnder(small.chatFilesDir)).toEqual([]);

    // Within the limit it is taken; its link lasts one second.
    const reply = await upload(small, ada2, dm, PNG, 'image/png');
    expect(reply.status).toBe(201);
    const file = (await reply.json()) as ChatFile;
    await small.api.ok('sendMessage', {
      token: token(ada2),
      params: { conversationId: dm },
      body: { clientId: randomUUID(), body: 'see', files: [file.id] },
    });
    const { url } = (await link(small, grace2, dm, file.id)).body as ChatFileLink;
    expect((await fetch(url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await errorOf(await fetch(url))).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('lets no one outside the conversation upload, link or fetch, and closes links of people removed', async () => {
    const notFound = { status: 404, body: { error: { code: 'not_found' } } };
    const file = await uploaded(ada, direct);
    // Before it is sent, only its uploader reaches it.
    expect(await link(server, grace, direct, file.id)).toMatchObject(notFound);
    expect((await link(server, ada, direct, file.id)).status).toBe(201);
    await send(ada, direct, [file.id]);

    for (const outsider of [linus, stranger]) {
      expect(await errorOf(await upload(server, outsider, direct, PNG, 'image/png'))).toMatchObject(notFound);
      expect(await link(server, outsider, direct, file.id)).toMatchObject(notFound);
    }

    // A group: Grace's link stops opening the moment she is removed.
    const group = await server.api.ok('createGroup', {
      token: token(ada),
      body: { memberIds: [grace.user.id, linus.user.id] },
    });
    const inGroup = await uploaded(ada, group.id);
    await send(ada, group.id, [inGroup.id]);
    const { url } = (await link(server, grace, group.id, inGroup.id)).body as ChatFileLink;
    expect((await fetch(url)).status).toBe(200);
    await server.api.ok('removeMember', {
      token: token(ada),
      params: { conversationId: group.id, userId: grace.user.id },
    });
    expect(await errorOf(await fetch(url))).toMatchObject(notFound);
    expect(await link(server, grace, group.id, inGroup.id)).toMatchObject(notFound);
    // A file of another conversation is not this one's.
    expect(await link(server, ada, direct, inGroup.id)).toMatchObject(notFound);
  });

  it("attaches only one's own unattached uploads, once; a resend answers the same message", async () => {
    const mine = await uploaded(ada, direct);
    const hers = await uploaded(grace, direct);
    expect(await send(ada, direct, [hers.id])).toMatchObject({ status: 404 });
    const clientId = randomUUID();
    const first = await send(ada, direct, [mine.id], clientId);
    expect(first.status).toBe(200);
    expect(await send(ada, direct, [mine.id], clientId)).toEqual(first);
    expect(await send(ada, direct, [mine.id])).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(
      await server.api.call('sendMessage', {
        token: token(ada),
        params: { conversationId: direct },
        body: { clientId: randomUUID(), body: '' },
      }),
    ).toMatchObject({ status: 400 });
  });
});
