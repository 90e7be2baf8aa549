// TEMPORARY stand-in for the main-process IPC handlers until e2e/support/ipcBridge.ts lands:
// answers the bridge protocol with a fixed signed-in user and LiveKit tokens minted here, so the
// in-call end-to-end test can run. Tests using it say so in their name. Delete with its last user.
import { randomUUID } from 'node:crypto';
import { BridgeRequestSchema, DEFAULT_SETTINGS, type Meeting, type Settings } from '@tandem/shared';
import type { LivekitInfo } from '@tandem/devstack';
import { AccessToken } from 'livekit-server-sdk';
import { WebSocketServer } from 'ws';

export type StubMain = { readonly url: string; close(): Promise<void> };

export async function startStubMain(
  livekit: LivekitInfo,
  user: { id: string; name: string },
  room: string,
): Promise<StubMain> {
  const now = new Date().toISOString();
  const organisation = { id: randomUUID(), name: 'Stub Org', createdAt: now };
  const meeting: Meeting = {
    id: randomUUID(),
    organisationId: organisation.id,
    title: 'Weekly sync',
    ownerId: user.id,
    personal: false,
    startsAt: null,
    endsAt: null,
    status: 'scheduled',
    locked: false,
    settings: { lobby: false, screenShare: 'everyone', chat: false, e2ee: false },
    joinCode: room,
    joinUrl: `tandem://join/${room}`,
    conversationId: randomUUID(),
    createdAt: now,
    updatedAt: now,
  };
  let settings: Settings = DEFAULT_SETTINGS;
  const handlers: Readonly<Record<string, (payload: Record<string, unknown>) => Promise<unknown> | unknown>> = {
    'auth:session': () => ({
      session: {
        user: {
          id: user.id,
          organisationId: organisation.id,
          email: `${user.id}@example.org`,
          name: user.name,
          role: 'member',
          createdAt: now,
        },
        organisation,
        serverUrl: 'http://127.0.0.1:1',
      },
    }),
    'settings:get': () => settings,
    'settings:update': (patch) => (settings = { ...settings, ...patch }),
    'connection:status': () => ({ status: 'online' }),
    'chat:conversations': () => ({ conversations: [] }),
    'decisions:list': () => ({ decisions: [] }),
    'meetings:list': () => ({ upcoming: [meeting], personalRoom: null }),
    'meetings:join': async () => {
      const token = new AccessToken(livekit.apiKey, livekit.apiSecret, {
        identity: user.id,
        name: settings.displayName ?? user.name,
        ttl: '10m',
      });
      token.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true });
      return {
        status: 'joined',
        call: {
          livekit: {
            url: livekit.wsUrl,
            token: await token.toJwt(),
            room,
            identity: user.id,
            role: 'attendee',
            expiresAt: now,
          },
          meeting,
          settings,
        },
      };
    },
  };
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => {
    socket.on('message', async (data) => {
      const request = BridgeRequestSchema.parse(JSON.parse(String(data)));
      const handler = handlers[request.channel];
      const frame =
        handler === undefined
          ? { id: request.id, ok: false, error: { code: 'not_found', message: `stub has no ${request.channel}` } }
          : { id: request.id, ok: true, result: await handler(request.payload as Record<string, unknown>) };
      socket.send(JSON.stringify(frame));
    });
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('stub main has no port');
  return {
    url: `ws://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
