import crypto from 'node:crypto';
import type { AuthSession, ChatFile } from '@tandem/shared';
import sharp from 'sharp';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { desktopWorld, twoPeople, until } from '../testing/realServer.ts';
import { createApiClient } from './apiClient.ts';
import { ServiceError } from './errors.ts';

const world = desktopWorld(inject('livekit'), 'files');
afterEach(() => world.close());

/** A real 500×400 PNG of noise (it hardly compresses): about 600 KB, three chunks of upload. */
const PNG = await sharp({
  create: {
    width: 500,
    height: 400,
    channels: 3,
    background: '#808080',
    noise: { type: 'gaussian', mean: 128, sigma: 40 },
  },
})
  .png()
  .toBuffer();

const signedIn = (name: string, person: AuthSession) => world.signedIn(name, person.user.email);

const codeOf = async (work: Promise<unknown>) => {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof ServiceError ? error.code : error;
};

describe('files in chat from the desktop against the real coordination server', () => {
  it('uploads through main with progress, sends the file with a message, and the other desktop previews it, offline too', async () => {
    await world.start();
    const { alice, bob } = await twoPeople(world.server.url);
    const a = await signedIn('alice', alice);
    const b = await signedIn('bob', bob);
    const direct = await createApiClient(world.server.url).call(
      'startDirect',
      { body: { userId: bob.user.id } },
      alice.tokens.accessToken,
    );
    await a.core.services.chat.open(direct.id);

    // Through main's real IPC handler, as the renderer calls it.
    const ipc = world.ipc(a);
    const uploadId = crypto.randomUUID();
    const answer = await ipc('files:upload', {
      uploadId,
      conversationId: direct.id,
      name: 'diagram.png',
      contentType: 'image/png',
      data: PNG.toString('base64'),
    });
    expect(answer.ok).toBe(true);
    const file = (answer as { ok: true; result: ChatFile }).result;
    expect(file).toMatchObject({ name: 'diagram.png', contentType: 'image/png', sizeBytes: PNG.length });
    const progress = a.eventsOf('files:progress').filter((p) => p.uploadId === uploadId);
    // 600 KiB in 256 KiB chunks: told at the start and after each chunk.
    const chunks = Array.from({ length: Math.ceil(PNG.length / 262144) }, (_, i) => i * 262144);
    expect(progress.map((p) => p.sentBytes)).toEqual([...chunks, PNG.length]);
    expect(progress.every((p) => p.totalBytes === PNG.length)).toBe(true);

    const sent = await a.core.services.chat.send({ conversationId: direct.id, body: '', files: [file] });
    expect(sent.files).toEqual([{ id: file.id, name: 'diagram.png', contentType: 'image/png', sizeBytes: PNG.length }]);
    await until('sent', async () =>
      (await a.core.services.chat.list({ conversationId: direct.id, limit: 10 })).some(
        (m) => m.clientId === sent.clientId && m.status === 'sent',
      ),
    );
    await until('bob has it with its file', async () =>
      (await b.core.services.chat.list({ conversationId: direct.id, limit: 10 })).some(
        (m) => m.clientId === sent.clientId && m.files[0]?.id === file.id,
      ),
    );

    // The server's thumbnail (WebP, at most 640 px a side), not the whole image.
    const preview = await b.core.services.files.preview(direct.id, file.id);
    expect(preview.startsWith('data:image/webp;base64,')).toBe(true);
    const thumbnail = await sharp(Buffer.from(preview.split(',')[1] ?? '', 'base64')).metadata();
    expect([thumbnail.format, thumbnail.width, thumbnail.height]).toEqual(['webp', 500, 400]);
    // Kept in the cache: the server gone, the preview still shows.
    await world.server.stop();
    expect(await b.core.services.files.preview(direct.id, file.id)).toBe(preview);
  });

  it("passes the server's refusals through and cancels an upload under way", async () => {
    await world.start();
    const { alice, bob } = await twoPeople(world.server.url);
    const a = await signedIn('alice', alice);
    const direct = await createApiClient(world.server.url).call(
      'startDirect',
      { body: { userId: bob.user.id } },
      alice.tokens.accessToken,
    );
    const upload = (over: Partial<Parameters<typeof a.core.services.files.upload>[0]> = {}) =>
      a.core.services.files.upload({
        uploadId: crypto.randomUUID(),
        conversationId: direct.id,
        name: 'notes.txt',
        contentType: 'text/plain',
        data: Buffer.from('minutes').toString('base64'),
        ...over,
      });
    expect(await codeOf(upload({ contentType: 'application/x-msdownload' }))).toBe('unsupported_media_type');
    expect(await codeOf(upload({ data: PNG.toString('base64') }))).toBe('unsupported_media_type');
    expect((await upload()).name).toBe('notes.txt');
    // A name the contract refuses never leaves the renderer's request.
    const refused = await world.ipc(a)('files:upload', {
      uploadId: crypto.randomUUID(),
      conversationId: direct.id,
      name: '../../etc/passwd',
      contentType: 'text/plain',
      data: 'bWludXRlcw==',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    const uploadId = crypto.randomUUID();
    const cancelled = upload({ uploadId, contentType: 'image/png', data: PNG.toString('base64') });
    a.core.services.files.cancel(uploadId);
    await expect(cancelled).rejects.toMatchObject({ code: 'bad_request', message: 'the upload was cancelled' });
  });
});
