import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ipcOf,
  PASSWORD,
  startRealServer,
  startTestDesktop,
  twoPeople,
  until,
  type ServerHandle,
  type TestDesktop,
} from '../testing/realServer.ts';

const livekit = inject('livekit');
let dir: string;
let server: ServerHandle;
const open: TestDesktop[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-collab-'));
  server = await startRealServer(livekit, dir);
});
afterAll(async () => {
  for (const d of open) await d.core.close().catch(() => undefined);
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function signedIn(name: string, email: string): Promise<TestDesktop> {
  const d = await startTestDesktop(path.join(dir, name), crypto.randomBytes(32));
  open.push(d);
  await d.core.services.auth.signIn(server.url, email, PASSWORD);
  await until(`${name} online`, async () => d.core.services.connection.status() === 'online');
  return d;
}

const ipc = (d: TestDesktop) => ipcOf(d, dir);

describe('collaboration channels, forwarded to the real coordination server', () => {
  it('raises a hand through IPC, tells the host live, and lets the host lower it', async () => {
    const { alice, bob } = await twoPeople(server.url);
    const host = await signedIn('alice', alice.user.email);
    const guest = await signedIn('bob', bob.user.email);
    const meeting = await host.core.services.meetings.create({ title: 'Stand-up' });
    await host.core.services.meetings.join(meeting.joinCode);
    expect((await guest.core.services.meetings.join(meeting.joinCode)).status).toBe('joined');

    const raised = await ipc(guest)('hands:raise', { params: { meetingId: meeting.id }, body: {} });
    expect(raised).toMatchObject({ ok: true, result: { hands: [{ userId: bob.user.id }] } });
    await until('the host hears of the raised hand', async () =>
      host.eventsOf('meeting:live').find((m) => m.type === 'hands.changed' && m.hands.length === 1),
    );

    const lowered = await ipc(host)('hands:lower', {
      params: { meetingId: meeting.id },
      body: { userId: bob.user.id },
    });
    expect(lowered).toMatchObject({ ok: true, result: { hands: [] } });
  });

  it('answers the server’s refusal as the machine-readable error, and a malformed request as bad_request', async () => {
    const { alice, bob } = await twoPeople(server.url);
    const host = await signedIn('alice2', alice.user.email);
    const guest = await signedIn('bob2', bob.user.email);
    const meeting = await host.core.services.meetings.create({ title: 'Town hall' });
    await guest.core.services.meetings.join(meeting.joinCode);

    const refused = await ipc(guest)('hands:lowerAll', { params: { meetingId: meeting.id }, body: {} });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const malformed = await ipc(guest)('polls:vote', {
      params: { meetingId: meeting.id, pollId: 'p' },
      body: { options: [] },
    });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
