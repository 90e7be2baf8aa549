import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { desktopWorld, twoPeople, until } from '../testing/realServer.ts';

const world = desktopWorld(inject('livekit'), 'collab');
beforeAll(() => world.start());
afterAll(() => world.close());

const signedIn = (name: string, email: string) => world.signedIn(name, email);
const ipc = world.ipc;

describe('collaboration channels, forwarded to the real coordination server', () => {
  it('raises a hand through IPC, tells the host live, and lets the host lower it', async () => {
    const { alice, bob } = await twoPeople(world.server.url);
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
    const { alice, bob } = await twoPeople(world.server.url);
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
