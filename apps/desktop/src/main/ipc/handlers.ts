import {
  FORWARDED_ROUTES,
  IPC_CHANNELS,
  IPC_CHANNEL_NAMES,
  issuesOf,
  type ForwardedChannel,
  type IpcChannel,
  type IpcParsedRequest,
  type IpcResponse,
  type IpcResult,
} from '@tandem/shared';
import type { AppServices } from '../core.ts';
import type { Logger } from '../log.ts';
import type { OriginCheck } from '../security/uiOrigin.ts';
import type { CollabService } from '../services/collab.ts';
import { ServiceError } from '../services/errors.ts';

/** Who sent a request: the URL of the frame (Electron's senderFrame, or the harness page). */
export type IpcSender = { readonly url: string };
export type IpcHandler = (request: unknown, sender: IpcSender) => Promise<IpcResult<unknown>>;

type Implementations = { readonly [C in IpcChannel]: (request: IpcParsedRequest<C>) => Promise<IpcResponse<C>> };

/** Each channel's work, given a request that already passed its schema. A missing channel is a type error. */
function implementations(s: AppServices): Implementations {
  return {
    'auth:session': async () => ({ session: s.auth.session(), needsSignIn: s.auth.needsSignIn() }),
    'auth:signIn': ({ serverUrl, email, password }) => s.auth.signIn(serverUrl, email, password),
    'auth:discover': async ({ serverUrl, email }) => ({ method: await s.auth.discover(serverUrl, email) }),
    'auth:signInWithSso': ({ serverUrl, email }) => s.auth.signInWithSso(serverUrl, email),
    'auth:joinAsGuest': async () => {
      throw new ServiceError('unavailable', 'the app signs in; open the meeting link in a browser to join as a guest');
    },
    'auth:signOut': async () => {
      await s.auth.signOut();
      return {};
    },
    'meetings:list': () => s.meetings.list(),
    'meetings:create': (request) => s.meetings.create(request),
    'meetings:update': ({ meetingId, patch }) => s.meetings.update(meetingId, patch),
    'meetings:cancel': ({ meetingId }) => s.meetings.cancel(meetingId),
    'meetings:join': ({ codeOrLink, viewOnly, displayName }) => s.meetings.join(codeOrLink, { viewOnly, displayName }),
    'meetings:leaveLobby': async ({ meetingId }) => {
      await s.meetings.leaveLobby(meetingId);
      return {};
    },
    'deepLink:take': async () => s.deepLinks.take(),
    'chat:conversations': async () => ({ conversations: await s.chat.conversations() }),
    'chat:open': ({ conversationId }) => s.chat.open(conversationId),
    'chat:createChannel': (request) => s.chat.createChannel(request),
    'chat:startDirect': ({ userId }) => s.chat.startDirect(userId),
    'chat:createGroup': (request) => s.chat.createGroup(request),
    'chat:update': ({ conversationId, patch }) => s.chat.update(conversationId, patch),
    'chat:members': async ({ conversationId }) => ({ members: await s.chat.members(conversationId) }),
    'chat:addMembers': (request) => s.chat.addMembers(request),
    'chat:removeMember': async ({ conversationId, userId }) => {
      await s.chat.removeMember(conversationId, userId);
      return {};
    },
    'chat:leave': async ({ conversationId }) => {
      await s.chat.leave(conversationId);
      return {};
    },
    'chat:join': ({ conversationId }) => s.chat.join(conversationId),
    'chat:markRead': ({ conversationId }) => s.chat.markRead(conversationId),
    'chat:receipts': async ({ conversationId }) => ({ receipts: await s.chat.receipts(conversationId) }),
    'chat:list': async (request) => ({ messages: await s.chat.list(request) }),
    'chat:send': (request) => s.chat.send(request),
    'chat:thread': async (request) => ({ messages: await s.chat.thread(request) }),
    'chat:react': (request) => s.chat.react(request),
    'chat:edit': (request) => s.chat.edit(request),
    'chat:delete': (request) => s.chat.delete(request),
    'chat:retry': ({ clientId }) => s.chat.retry(clientId),
    'chat:discard': async ({ clientId }) => {
      await s.chat.discard(clientId);
      return {};
    },
    'chat:people': async () => ({ people: await s.chat.people() }),
    'people:list': async () => ({ users: await s.people.people() }),
    'chat:typing': async ({ conversationId, typing }) => {
      s.chat.typing(conversationId, typing);
      return {};
    },
    'decisions:list': async ({ meetingId }) => ({ decisions: await s.decisions.list(meetingId) }),
    'decisions:create': (request) => s.decisions.create(request),
    'decisions:update': ({ clientId, patch }) => s.decisions.update(clientId, patch),
    'search:everything': (request) => s.chat.search(request),
    'connection:status': async () => ({ status: s.connection.status() }),
    // Main's socket opens with the session it authenticates; a knock from the app is not timed (B7 is the browser's).
    'connection:warm': async () => ({}),
    'encryption:deviceKey': () => s.e2ee.deviceKey(),
    'encryption:chatHistory': async ({ meetingId }) => ({ messages: await s.e2ee.chatHistory(meetingId) }),
    'encryption:chatKeep': async ({ meetingId, message }) => {
      await s.e2ee.keepChat(meetingId, message);
      return {};
    },
    'settings:get': () => s.settings.get(),
    'settings:update': (patch) => s.settings.update(patch),
    'shortcuts:status': async () => ({ conflicts: [...s.shortcuts.conflicts()] }),
    'diagnostics:collect': () => s.diagnostics.collect(),
    'policy:get': async () => s.policy,
    'shell:openExternal': async ({ url }) => {
      await s.shell.openExternal(url);
      return {};
    },
    'pages:open': async ({ url }) => {
      await s.pageLinks.open(url);
      return {};
    },
    'presence:list': async () => ({ presence: s.presence.list() }),
    'presence:watch': async ({ userIds }) => {
      s.presence.watch(userIds);
      return {};
    },
    'presence:set': (request) => s.presence.set(request),
    'files:upload': (request) => s.files.upload(request),
    'files:cancel': async ({ uploadId }) => {
      s.files.cancel(uploadId);
      return {};
    },
    'files:preview': async ({ conversationId, fileId }) => ({ src: await s.files.preview(conversationId, fileId) }),
    'files:download': async ({ conversationId, fileId }) => {
      await s.files.download(conversationId, fileId);
      return {};
    },
    'recordings:download': async ({ meetingId, recordingId }) => {
      await s.recordings.download(meetingId, recordingId);
      return {};
    },
    'screen:sources': async ({ thumbnailWidth }) => ({ sources: await s.screen.sources(thumbnailWidth) }),
    'linked:join': ({ meeting }) => s.linked.join(meeting),
    'linked:calendar': (window) => s.linked.calendar(window),
    'linked:get': ({ meetingId }) => s.linked.get(meetingId),
    'linked:attach': ({ meetingId, text }) => s.linked.attach(meetingId, text),
    'providers:list': () => s.linked.providers(),
    'providers:consent': ({ provider, scope }) => s.linked.consent(provider, scope),
    'providers:connectZoom': (request) => s.linked.connectZoom(request),
    'providers:revoke': async ({ provider, scope }) => {
      await s.linked.revoke(provider, scope);
      return {};
    },
    'overlay:open': async (target) => {
      await s.overlay.open(target);
      return {};
    },
    'overlay:scene': async (scene) => {
      s.overlay.scene(scene);
      return {};
    },
    'ui:attention': async (attention) => {
      s.notifications.setAttention(attention);
      return {};
    },
    'overlay:close': async () => {
      s.overlay.close();
      return {};
    },
    'diagnostics:probe': ({ check }) => (check === 'server' ? s.connectionTest.server() : s.connectionTest.websocket()),
    'diagnostics:keepConnectionTest': async (report) => {
      s.connectionTest.keep(report);
      return {};
    },
    'audit:export': ({ filter, format }) => s.audit.export(filter, format),
    'registration:exportCsv': ({ meetingId }) => s.registrants.exportCsv(meetingId),
    'transcripts:get': ({ meetingId }) => s.transcripts.get(meetingId),
    'transcripts:export': ({ meetingId, format }) => s.transcripts.export(meetingId, format),
    ...forwarded(s.collab),
  };
}

/** The collaboration channels, each forwarded to its server route (FORWARDED_ROUTES). */
function forwarded(collab: CollabService): Pick<Implementations, ForwardedChannel> {
  const channels = Object.keys(FORWARDED_ROUTES) as ForwardedChannel[];
  // fromEntries loses the per-channel types; each entry is forward() for its own channel.
  return Object.fromEntries(
    channels.map((channel) => [channel, (request: never) => collab.forward(channel, request)]),
  ) as Pick<Implementations, ForwardedChannel>;
}

const fail = (code: ServiceError['code'], message: string, issues?: ServiceError['issues']): IpcResult<never> => ({
  ok: false,
  error: { code, message, ...(issues ? { issues } : {}) },
});

/**
 * The IPC registry: for every channel of the contract, a handler that checks the sender is our
 * own UI, validates the request with the channel's schema, calls the service, validates the
 * answer, and turns every failure into the machine-readable error envelope. Electron's ipcMain
 * and the Node test harness register these same handlers.
 */
export function createIpcHandlers(
  services: AppServices,
  options: { readonly isTrustedSender: OriginCheck; readonly log: Logger },
): ReadonlyMap<IpcChannel, IpcHandler> {
  const impl = implementations(services);
  const handlers = new Map<IpcChannel, IpcHandler>();
  for (const channel of IPC_CHANNEL_NAMES) {
    const schema = IPC_CHANNELS[channel];
    const run = impl[channel] as (request: unknown) => Promise<unknown>;
    handlers.set(channel, async (request, sender) => {
      if (!options.isTrustedSender(sender.url)) {
        options.log.warn('ipc request from a foreign frame refused', { channel, url: sender.url });
        return fail('forbidden', 'not our UI');
      }
      const parsed = schema.request.safeParse(request ?? {});
      if (!parsed.success) return fail('bad_request', `invalid ${channel} request`, issuesOf(parsed.error));
      try {
        const result = schema.response.safeParse(await run(parsed.data));
        if (!result.success) {
          options.log.error('ipc answer broke the contract', { channel, issues: issuesOf(result.error) });
          return fail('internal', `${channel} produced an invalid answer`);
        }
        return { ok: true, result: result.data };
      } catch (error) {
        if (error instanceof ServiceError) return fail(error.code, error.message, error.issues);
        options.log.error('ipc handler failed', { channel, error });
        return fail('internal', `${channel} failed`);
      }
    });
  }
  return handlers;
}
