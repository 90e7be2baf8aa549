import type { AuthSession, JoinResult, Meeting } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, signUp, startTestServer, type TestServer, type WsClient } from './testSupport.ts';

/**
 * A lobby entry left behind (services/meetings.ts `expireAbandoned`, a leased job): someone
 * whose app or browser tab closed while they waited, or who knocked and never connected, is
 * offline, and after LOBBY_ABANDON_SECONDS (1 s here) their entry goes as if they had left the
 * lobby. Real server, sockets and HTTP. (A phone caller is held online: phone.test.ts.)
 */

const livekit = inject('livekit');

describe('a lobby entry whose person went offline', () => {
  let server: TestServer;
  let host: AuthSession;
  let hostWs: WsClient;
  let meeting: Meeting;

  beforeAll(async () => {
    server = await startTestServer(livekit, { lobbyAbandonSeconds: 1 });
    host = await signUp(server.api, 'abandon-host');
    hostWs = await connectWs(server.url, host.tokens.accessToken);
    meeting = await server.api.ok('createMeeting', {
      token: host.tokens.accessToken,
      body: { title: 'Waiting room', settings: { lobby: true } },
    });
  });
  afterAll(async () => {
    hostWs?.close();
    await server?.close();
  });

  async function knock(who: AuthSession): Promise<string> {
    const reply = await server.api.call('joinMeeting', {
      token: who.tokens.accessToken,
      params: { meetingId: meeting.id },
      body: {},
    });
    const result = reply.body as JoinResult;
    if (result.status !== 'waiting') throw new Error(`not waiting: ${JSON.stringify(reply)}`);
    return result.entry.id;
  }
  const waitingIds = async () =>
    (await server.api.ok('listLobby', { token: host.tokens.accessToken, params: { meetingId: meeting.id } })).entries
      .map((e) => e.userId)
      .sort();

  it('leaves the lobby once offline for a while, or never connected after knocking; who is still connected waits on', async () => {
    const [leaver, stayer, unseen] = await Promise.all(
      ['abandon-leaver', 'abandon-stayer', 'abandon-unseen'].map((n) => addPerson(server.api, host, n, 'member')),
    );
    if (leaver === undefined || stayer === undefined || unseen === undefined) throw new Error('no people');
    const leaverWs = await connectWs(server.url, leaver.tokens.accessToken);
    const stayerWs = await connectWs(server.url, stayer.tokens.accessToken);
    const leaverEntry = await knock(leaver);
    await knock(stayer);
    // Knocks over HTTP and is gone before any socket of theirs connects (a browser tab closed at once).
    const unseenEntry = await knock(unseen);
    expect(await waitingIds()).toEqual([leaver.user.id, stayer.user.id, unseen.user.id].sort());
    await hostWs.next('lobby.entry', (m) => m.entry.id === unseenEntry && m.entry.status === 'removed');

    // The app closes without leaving the lobby: after a second offline, hosts hear the entry go.
    leaverWs.close();
    await hostWs.next('lobby.entry', (m) => m.entry.id === leaverEntry && m.entry.status === 'removed');
    expect(await waitingIds()).toEqual([stayer.user.id]);

    // Nothing final: the app that comes back waiting in the lobby (its socket's `awaiting`) knocks again.
    const back = await connectWs(server.url);
    back.send({ type: 'auth', accessToken: leaver.tokens.accessToken, awaiting: [{ meetingId: meeting.id }] });
    await back.next('ready');
    await hostWs.next(
      'lobby.entry',
      (m) => m.entry.userId === leaver.user.id && m.entry.status === 'waiting' && m.entry.id !== leaverEntry,
    );
    expect(await waitingIds()).toEqual([leaver.user.id, stayer.user.id].sort());
    back.close();
    stayerWs.close();
  });
});
