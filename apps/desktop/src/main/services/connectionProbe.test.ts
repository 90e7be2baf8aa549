import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectionTestReport, IpcResponse } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ipcOf,
  startRealServer,
  startTestDesktop,
  twoPeople,
  type ServerHandle,
  type TestDesktop,
} from '../testing/realServer.ts';

const livekit = inject('livekit');
let dir: string;
let server: ServerHandle;
let desktop: TestDesktop;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-probe-'));
  server = await startRealServer(livekit, dir);
  desktop = await startTestDesktop(path.join(dir, 'desktop'), crypto.randomBytes(32));
});
afterAll(async () => {
  await desktop?.core.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('connection test: main’s probes of the real coordination server, through IPC', () => {
  it('says not signed in, then reaches the server and its WebSocket, then finds both unreachable once it stops', async () => {
    const call = ipcOf(desktop, dir);
    const probe = (check: 'server' | 'websocket') => call('diagnostics:probe', { check });
    expect(await probe('server')).toEqual({ ok: true, result: { ok: false, reason: 'not_signed_in' } });

    const { alice } = await twoPeople(server.url);
    await desktop.core.services.auth.signIn(server.url, alice.user.email, 'correct horse battery staple');
    expect(await probe('server')).toMatchObject({ ok: true, result: { ok: true } });
    expect(await probe('websocket')).toEqual({ ok: true, result: { ok: true } });
    expect(await call('diagnostics:probe', { check: 'livekit' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });

    await server.stop();
    try {
      expect(await probe('server')).toEqual({ ok: true, result: { ok: false, reason: 'unreachable' } });
      expect(await probe('websocket')).toEqual({ ok: true, result: { ok: false, reason: 'unreachable' } });
    } finally {
      await server.restart();
    }
  });

  it('keeps the latest run for Collect logs, which puts it in the zip; a malformed run is refused', async () => {
    const call = ipcOf(desktop, dir);
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
    const archive = path.join(dir, 'diagnostics.zip');
    fs.writeFileSync(archive, Buffer.from((collected.result as IpcResponse<'diagnostics:collect'>).base64, 'base64'));
    const inside = spawnSync('unzip', ['-p', archive, 'connection-test.json'], { encoding: 'utf8' });
    expect(JSON.parse(inside.stdout)).toEqual(report);
  });
});
