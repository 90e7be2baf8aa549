import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ConnectionTestReport, IpcResponse } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { desktopWorld, twoPeople, type TestDesktop } from '../testing/realServer.ts';

const world = desktopWorld(inject('livekit'), 'probe');
let desktop: TestDesktop;

beforeAll(async () => {
  await world.start();
  desktop = await world.desktop('desktop');
});
afterAll(() => world.close());

describe('connection test: main’s probes of the real coordination server, through IPC', () => {
  it('says not signed in, then reaches the server and its WebSocket, then finds both unreachable once it stops', async () => {
    const call = world.ipc(desktop);
    const probe = (check: 'server' | 'websocket') => call('diagnostics:probe', { check });
    expect(await probe('server')).toEqual({ ok: true, result: { ok: false, reason: 'not_signed_in' } });

    const { alice } = await twoPeople(world.server.url);
    await desktop.core.services.auth.signIn(world.server.url, alice.user.email, 'correct horse battery staple');
    expect(await probe('server')).toMatchObject({ ok: true, result: { ok: true } });
    expect(await probe('websocket')).toEqual({ ok: true, result: { ok: true } });
    expect(await call('diagnostics:probe', { check: 'livekit' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });

    await world.server.stop();
    try {
      expect(await probe('server')).toEqual({ ok: true, result: { ok: false, reason: 'unreachable' } });
      expect(await probe('websocket')).toEqual({ ok: true, result: { ok: false, reason: 'unreachable' } });
    } finally {
      await world.server.restart();
    }
  });

  it('keeps the latest run for Collect logs, which puts it in the zip; a malformed run is refused', async () => {
    const call = world.ipc(desktop);
    const report: ConnectionTestReport = {
      at: new Date().toISOString(),
      results: [
        { check: 'server', state: 'passed', ms: 12, detail: 'HTTP 200' },
        { check: 'livekit', state: 'failed', ms: 3000, reason: 'unreachable' },
        { check: 'media', state: 'skipped' },
      ],
    };
    expect(await call('diagnostics:keepConnectionTest', { ...report, results: [{ check: 'x' }] })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await call('diagnostics:keepConnectionTest', report)).toEqual({ ok: true, result: {} });
    const collected = await call('diagnostics:collect', {});
    if (!collected.ok) throw new Error(collected.error.message);
    const archive = path.join(world.dir, 'diagnostics.zip');
    fs.writeFileSync(archive, Buffer.from((collected.result as IpcResponse<'diagnostics:collect'>).base64, 'base64'));
    const inside = spawnSync('unzip', ['-p', archive, 'connection-test.json'], { encoding: 'utf8' });
    expect(JSON.parse(inside.stdout)).toEqual(report);
  });
});
