import fs from 'node:fs/promises';
import path from 'node:path';
import {
  createSocketCalls,
  DEFAULT_SETTINGS,
  resolveLocale,
  policyAllowsScreenShare,
  type E2eeChatEntry,
  type IpcResponse,
  type Language,
  type Settings,
  type ManagedSettings,
  type ScreenSource,
  type SessionInfo,
  type SignInMethod,
} from '@tandem/shared';
import { openDb, type DbClient } from './db/client.ts';
import type { NativeLookup } from './db/nativeBinding.ts';
import { silentLogger, type Logger } from './log.ts';
import type { Platform } from './platform/types.ts';
import type { ConnectTargets } from './security/csp.ts';
import { isAllowedExternalLink, isSignInPageLink } from './security/externalLinks.ts';
import { createPageLinks, type PageLinks } from './services/pageLinks.ts';
import { checkServerUrl } from './security/serverUrl.ts';
import type { Backoff } from './services/backoff.ts';
import { createChat, type ChatService } from './services/chat.ts';
import { createCollab, type CollabService } from './services/collab.ts';
import { createConnectionState, type ConnectionState } from './services/connection.ts';
import { createDecisions, type DecisionsService } from './services/decisions.ts';
import { ServiceError, isUnavailable } from './services/errors.ts';
import type { Emit } from './services/events.ts';
import { createAudit, type AuditService } from './services/audit.ts';
import { createRegistrants, type RegistrantsService } from './services/registrants.ts';
import { createTranscripts, type TranscriptsService } from './services/transcripts.ts';
import { createLinked, type LinkedService } from './services/linked.ts';
import { createMeetings, type MeetingsService } from './services/meetings.ts';
import { createNotifications, type Notifications } from './services/notifications.ts';
import { createReminders } from './services/reminders.ts';
import { createFiles, type FilesService } from './services/files.ts';
import { createAppIcon, type AppIcon } from './services/appIcon.ts';
import { createHelpMenu } from './services/helpMenu.ts';
import { trayStatusRequest } from './services/tray.ts';
import { watchIdle } from './services/idle.ts';
import { collectDiagnostics } from './diagnostics/collect.ts';
import { createConnectionProbes, type ConnectionProbes } from './services/connectionProbe.ts';
import { startsAtLogin, syncLoginItem } from './services/autoStart.ts';
import { createGlobalShortcuts, type GlobalShortcuts, type ShortcutConflict } from './services/shortcuts.ts';
import { createPresence, type PresenceTracker } from './services/presence.ts';
import { createOutbox } from './services/outbox.ts';
import { createOverlay, type OverlayService } from './services/overlay.ts';
import { createRealtime } from './services/realtime.ts';
import { encryptedFileSecretStore, memorySecretStore } from './services/secretStore.ts';
import { createDeviceKeys, type DeviceKeyPair } from './services/deviceKey.ts';
import { createSession } from './services/session.ts';
import { createSsoSignIn } from './services/sso.ts';
import { SETTINGS_KEY, createSettings, type SettingsService } from './services/settings.ts';
import { createSyncEngine, type SyncEngine } from './services/sync.ts';
import { createDeepLinkRouter, type DeepLinkRouter } from './shell/deepLinks.ts';

/** What the IPC layer calls: one object per contract domain. */
export type AppServices = {
  readonly auth: {
    session(): SessionInfo | null;
    /** A user is known to the cache but there is no token to reach the server with. */
    needsSignIn(): boolean;
    signIn(serverUrl: string, email: string, password: string): Promise<SessionInfo>;
    discover(serverUrl: string, email: string): Promise<SignInMethod>;
    /** Single sign-on in the system browser; see services/sso.ts. */
    signInWithSso(serverUrl: string, email: string): Promise<SessionInfo>;
    signOut(): Promise<void>;
    /** Where the renderer may connect (its CSP): the signed-in server and its LiveKit URL(s). */
    connectTargets(): ConnectTargets;
  };
  readonly meetings: MeetingsService;
  readonly chat: ChatService;
  readonly decisions: DecisionsService;
  readonly settings: SettingsService;
  /** The global shortcuts that could not be registered as set (none where the OS has none). */
  readonly shortcuts: { conflicts(): readonly ShortcutConflict[] };
  /** Collect logs: the help desk's zip. */
  readonly diagnostics: { collect(): Promise<IpcResponse<'diagnostics:collect'>> };
  /** Help → Connection test: main's probes and the latest run (services/connectionProbe.ts). */
  readonly connectionTest: ConnectionProbes;
  readonly policy: ManagedSettings;
  readonly connection: ConnectionState;
  readonly shell: { openExternal(url: string): Promise<void> };
  readonly pageLinks: PageLinks;
  readonly recordings: { download(meetingId: string, recordingId: string): Promise<void> };
  readonly files: FilesService;
  readonly presence: Pick<PresenceTracker, 'list' | 'set' | 'watch'>;
  /** The organisation's people from the directory kept in the cache (`people:list`). */
  readonly people: Pick<SyncEngine, 'people'>;
  readonly screen: { sources(thumbnailWidth: number): Promise<ScreenSource[]> };
  readonly linked: LinkedService;
  readonly collab: CollabService;
  readonly audit: AuditService;
  readonly registrants: RegistrantsService;
  readonly transcripts: TranscriptsService;
  readonly overlay: OverlayService;
  readonly notifications: Pick<Notifications, 'setAttention'>;
  readonly deepLinks: Pick<DeepLinkRouter, 'take'>;
  /** The signed-in person's end-to-end encryption device key (services/deviceKey.ts). */
  readonly e2ee: {
    deviceKey(): Promise<DeviceKeyPair>;
    /** An encrypted meeting's chat, kept only in this cache (it never reaches the server). */
    chatHistory(meetingId: string): Promise<E2eeChatEntry[]>;
    keepChat(meetingId: string, message: E2eeChatEntry): Promise<void>;
  };
};

export type CoreOptions = {
  /** The user's data folder: the cache and the encrypted secrets live here. */
  readonly dataDir: string;
  readonly platform: Platform;
  readonly emit: Emit;
  readonly log?: Logger;
  /** Where the rotating logs are (Collect logs zips them); none: the zip has no logs. */
  readonly logsDir?: string;
  /** The app's and its runtime's versions, for Collect logs. */
  readonly versions?: Readonly<Record<string, string>>;
  /**
   * The cache, already opening (`openCache`): the app starts its worker before Electron is ready,
   * so neither the window nor its first cached paint waits for it. None: core opens it.
   */
  readonly cache?: Promise<DbClient>;
  readonly fetch?: typeof fetch;
  /**
   * Chat writes go on the realtime socket while it is up (SOCKET_ROUTES); false sends them over
   * HTTP always (a test of what HTTP answers, through its own `fetch`).
   */
  readonly chatWritesOnSocket?: boolean;
  readonly reconnect?: Backoff;
  /** How long after a meeting ends its transcript is read again for its last sentence (tests shorten it). */
  readonly transcriptRereadMs?: number;
  /** The organisation's policy for this machine; none by default. */
  readonly policy?: ManagedSettings;
  /**
   * Someone signed in or out: the app compares `auth.connectTargets()` with the policy its window
   * was loaded under and, when they differ, reloads it. Sign-in answers only once this resolves,
   * so its answer reaches the new page, never the old one.
   */
  readonly onConnectTargetsChanged?: () => Promise<void>;
};

export type CacheOptions = {
  readonly dataDir: string;
  /** The cache worker's entry; its TypeScript source by default (tests, the harness). */
  readonly dbWorker?: URL | undefined;
  /** Where an Electron build of better-sqlite3 may be (db/nativeBinding.ts); the app passes it. */
  readonly nativeSqlite?: NativeLookup | undefined;
  /** What the cache reports while it keeps working (its WAL checkpointer failing). */
  readonly onWarning: (message: string) => void;
};

/** Starts the cache's worker on the data folder's `cache.db` (created and migrated if needed). */
export async function openCache(options: CacheOptions): Promise<DbClient> {
  await fs.mkdir(options.dataDir, { recursive: true });
  return openDb(path.join(options.dataDir, 'cache.db'), options.dbWorker, options.nativeSqlite, options.onWarning);
}

const NO_POLICY: ManagedSettings = { values: {}, locked: [] };

function sameServer(a: string, b: string): boolean {
  return new URL(a).origin === new URL(b).origin;
}

export type Core = {
  readonly services: AppServices;
  /** What the Electron shell asks synchronously (a window closing cannot wait for the cache). */
  readonly shell: { closeToTray(): boolean };
  close(): Promise<void>;
};

/**
 * Main's application, without Electron: cache, session, sync, outbox and the services over
 * them. The Electron composition root and the Node test harness both start exactly this.
 * On start the cache answers at once; the network catches up behind it.
 */
export async function startCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? silentLogger;
  const onError = (error: unknown) => {
    if (!isUnavailable(error)) log.warn('background task failed', error);
  };
  const { platform } = options;
  // Every event the renderer hears also tells the app's icon (created below, once the cache and session are).
  let appIcon: AppIcon | null = null;
  let helpMenu: { redraw(): void } | null = null;
  const emit: Emit = (event, payload) => {
    options.emit(event, payload);
    appIcon?.onEvent(event);
  };
  await fs.mkdir(options.dataDir, { recursive: true });
  const db = await (options.cache ??
    openCache({ dataDir: options.dataDir, onWarning: (message) => log.warn('cache', { message }) }));
  const secrets =
    platform.secretCipher === null
      ? memorySecretStore()
      : encryptedFileSecretStore(path.join(options.dataDir, 'secrets.bin'), platform.secretCipher);
  // Chat writes go on the realtime socket while it is up (made below: the socket needs the session).
  const socketCalls = createSocketCalls((message) => realtime.sendCall(message));
  const session = createSession({
    ...(options.chatWritesOnSocket === false ? {} : { calls: socketCalls }),
    db,
    secrets,
    // However a session ends (signed out elsewhere, expired, deactivated), its notifications go too.
    emit: (event, payload) => {
      if (event === 'auth:ended') {
        notifications.clear();
        reminders.clear();
        presence.clear();
        // Another account may sign in next: its socket names no lobby of this one's.
        meetings.forgetWaits();
      }
      emit(event, payload);
      if (event === 'auth:ended') void options.onConnectTargetsChanged?.().catch(onError);
    },
    deviceKeys: [SETTINGS_KEY],
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const connection = createConnectionState(emit);
  const deviceKeys = createDeviceKeys(secrets);
  const policy = options.policy ?? NO_POLICY;
  // The desktop shell follows some settings at once: global shortcuts, start at login, close to tray.
  let shortcuts: GlobalShortcuts | null = null;
  let closeToTray = DEFAULT_SETTINGS.closeToTray;
  // Null until the settings are read: the first reading draws the tray in its language.
  let language: Language | null = null;
  const followSettings = (now: Settings) => {
    closeToTray = now.closeToTray;
    if (now.language !== language) {
      language = now.language;
      appIcon?.redraw();
      helpMenu?.redraw();
    }
    shortcuts?.apply(now);
    if (platform.loginItems !== null)
      syncLoginItem(platform.loginItems, startsAtLogin(now, policy.values.startAtLogin));
  };
  const settings = createSettings(db, policy, followSettings);
  // Main's words (tray, app menu, notifications, the taskbar's count): the app's language, else the OS's.
  const locale = () =>
    resolveLocale(
      language ?? DEFAULT_SETTINGS.language,
      platform.systemLanguages ?? [Intl.DateTimeFormat().resolvedOptions().locale],
    );
  const outbox = createOutbox({ db, session, emit, onError });

  const sync = createSyncEngine({ db, session, emit, onError });

  const collab = createCollab({ session, emit });
  const transcripts = createTranscripts({
    db,
    session,
    onError,
    ...(options.transcriptRereadMs === undefined ? {} : { rereadMs: options.transcriptRereadMs }),
  });
  // Realtime is created below: its socket is asked to watch only once it is up.
  const presence = createPresence({ session, emit, watch: (userIds) => realtime.watchPresence(userIds) });
  const pageLinks = createPageLinks({ session, openExternal: (url) => platform.openExternal(url) });
  const notifications = createNotifications({
    surface: platform.notifications,
    self: () => session.current()?.user ?? null,
    settings: () => settings.get(),
    message: (clientId) => db.read('message', clientId),
    inThread: (rootId, userId) => db.read('inThread', { rootId, userId }),
    conversation: (conversationId) => db.read('conversation', conversationId),
    meeting: (meetingId) => db.read('meeting', meetingId),
    doNotDisturb: () => presence.doNotDisturb(),
    emit,
    locale,
    openPage: (url) => void pageLinks.openListed(url).catch(onError),
  });
  const reminders = createReminders({
    calendar: (window) => session.call('calendar', { query: window }),
    settings: () => settings.get(),
    show: (key, text, meetingId) => notifications.remind(key, text, meetingId),
    signedIn: () => session.current() !== null && session.hasTokens(),
    locale,
    onError,
  });
  const realtime = createRealtime({
    session,
    connection,
    calls: socketCalls,
    onError,
    ...(options.reconnect ? { backoff: options.reconnect } : {}),
    // Meetings is created below: these run only once a socket is up.
    awaiting: () => meetings.awaiting(),
    onMessage: (message) => {
      collab.onServerMessage(message);
      meetings.onServerMessage(message);
      chat.onServerMessage(message);
      const inMeeting = presence.mine()?.meetingId ?? null;
      presence.onServerMessage(message);
      // Notifications read what the cache made of the message (names, delivery), so they follow it.
      const notify = notifications.arrived(message);
      if (message.type === 'calendar.changed') emit('calendar:changed', {});
      if (message.type === 'expert.ask') emit('expert:ask', { ask: message.ask });
      if (message.type === 'pages.changed') emit('pages:changed', {});
      // A meeting moved or a new one: the next reminders may have changed.
      if (message.type === 'meeting.changed' || message.type === 'meeting.invited')
        void reminders.refresh().catch(onError);
      // A meeting that ended has its whole transcript (its last sentence soon): keep it, so search
      // finds it offline. So does a call the person left (their presence no longer in it, which
      // LiveKit's webhooks set): a personal room never ends.
      if (message.type === 'meeting.changed' && message.meeting.status === 'ended')
        transcripts.keep(message.meeting.id);
      if (inMeeting !== null && presence.mine()?.meetingId !== inMeeting) transcripts.keep(inMeeting);
      void sync
        .applyLive(message)
        .then(() => notify?.())
        .catch(onError);
    },
    async onReady() {
      notifications.connectionStarted();
      outbox.kick();
      meetings.ready();
      await sync.refreshConversations();
      realtime.resume(await db.read('changeCursor', null));
      presence.connected();
      await Promise.all([
        // A role change closes our sockets with 4401: the reconnect is where we learn who we are
        // now (and which LiveKit URL(s) the server hands out today, for the next page load).
        session.recheck().catch(onError),
        sync.refreshMeetings(),
        reminders.refresh().catch(onError),
        sync.refreshDecisions(),
        sync.refreshUsers().catch(onError),
      ]);
      idle?.connected();
    },
  });
  const signedIn = () => session.current() !== null && session.hasTokens();
  appIcon = createAppIcon({
    badge: platform.badge,
    taskbarOverlay: platform.taskbarOverlay,
    tray: platform.tray,
    db,
    selfId: () => session.current()?.user.id ?? null,
    ownPresence: () => presence.mine(),
    locale,
    onError,
  });
  helpMenu =
    platform.appMenu === null
      ? null
      : createHelpMenu({ surface: platform.appMenu, emit, locale, versions: options.versions ?? {} });
  // The tray's status items; opening the window and quitting are the shell's.
  platform.tray?.onAction((action) => {
    // The shell has brought the window forward; the renderer opens Join by code.
    if (action === 'joinByCode') emit('shell:command', { command: 'joinByCode' });
    const request = trayStatusRequest(action);
    if (request !== null && signedIn()) presence.set(request).catch(onError);
  });
  // Away when the computer is idle or locked, online again at the next input.
  const idle = platform.power === null ? null : watchIdle({ power: platform.power, presence, signedIn, onError });
  const meetings = createMeetings({ db, session, sync, settings, emit, onError });
  const chat = createChat({ db, session, sync, outbox, realtime, emit, onError });
  const decisions = createDecisions({ db, outbox, emit });

  shortcuts =
    platform.globalShortcuts === null ? null : createGlobalShortcuts({ surface: platform.globalShortcuts, emit });
  followSettings(await settings.get());

  if ((await session.restore()) !== null) realtime.start();
  // The OS's links go through one router: held until the renderer takes them, joins until sign-in.
  const deepLinks = createDeepLinkRouter({ signedIn, emit });
  platform.links.listen((argv) => deepLinks.receive(argv));
  // Back from sleep: reconnect and catch up now rather than when a timer notices.
  platform.power?.onResume(() => realtime.wake());

  /**
   * Tokens and everything the user reads travel to this server: https (plain http only on loopback,
   * for development), and IT's policy may fix which one. Answers the address to use.
   */
  function checkServer(serverUrl: string): string {
    const checked = checkServerUrl(serverUrl);
    if (!checked.ok) {
      throw new ServiceError('bad_request', checked.message, {
        issues: [{ path: 'serverUrl', message: checked.message }],
      });
    }
    const locked = policy.values.serverUrl;
    if (locked !== undefined && !sameServer(locked, serverUrl)) {
      throw new ServiceError('forbidden', `your organisation signs in at ${locked}`, {
        issues: [{ path: 'serverUrl', message: `must be ${locked}` }],
      });
    }
    return checked.url;
  }

  /** Every way of signing in ends here: the new session replaces the old one's socket and names. */
  async function adopt(signIn: () => Promise<SessionInfo>): Promise<SessionInfo> {
    // The socket of whoever was signed in must not feed the next user's cache.
    await realtime.stop();
    try {
      const info = await signIn();
      // Our own name for our own messages, before the people list arrives.
      await db.write('upsertUsers', [{ id: info.user.id, name: info.user.name }]);
      // The renderer's CSP names the new server: answer once the page that has it is there.
      await options.onConnectTargetsChanged?.();
      return info;
    } finally {
      realtime.start();
    }
  }

  /** A sign-in page our server answered (single sign-on, a provider's consent), in the system browser. */
  async function openSignInPage(url: string): Promise<void> {
    if (!isSignInPageLink(url)) throw new ServiceError('forbidden', 'the sign-in page may not be opened');
    await platform.openExternal(url);
  }

  const sso = createSsoSignIn({
    adopt: (serverUrl, obtain) => adopt(() => session.signInWith(serverUrl, obtain)),
    openInBrowser: openSignInPage,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const connectionTest = createConnectionProbes({
    baseUrl: () => session.current()?.serverUrl ?? null,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const services: AppServices = {
    connectionTest,
    diagnostics: {
      async collect() {
        const at = new Date();
        const archive = collectDiagnostics(
          {
            logsDir: options.logsDir ?? path.join(options.dataDir, 'no-logs'),
            versions: options.versions ?? {},
            settings: await settings.get(),
            policy,
            connectionTest: connectionTest.latest(),
          },
          at,
        );
        const stamp = at.toISOString().slice(0, 19).replace(/[T:]/g, '-');
        return {
          filename: `tandem-diagnostics-${stamp}.zip`,
          mimeType: 'application/zip',
          base64: archive.toString('base64'),
        };
      },
    },
    shortcuts: { conflicts: () => shortcuts?.conflicts() ?? [] },
    auth: {
      session: () => session.current(),
      needsSignIn: () => session.current() !== null && !session.hasTokens(),
      connectTargets: () => session.connectTargets(),
      async signIn(serverUrl, email, password) {
        const url = checkServer(serverUrl);
        const info = await adopt(() => session.signIn(url, email, password));
        // A single sign-on still waiting in the browser must not replace this session later.
        sso.cancel();
        return info;
      },
      async discover(serverUrl, email) {
        return sso.discover(checkServer(serverUrl), email);
      },
      async signInWithSso(serverUrl, email) {
        return sso.signIn(checkServer(serverUrl), email);
      },
      async signOut() {
        sso.cancel();
        notifications.clear();
        await realtime.stop();
        await session.signOut();
      },
    },
    meetings,
    chat,
    decisions,
    settings,
    policy,
    connection,
    pageLinks,
    shell: {
      async openExternal(url) {
        if (!isAllowedExternalLink(url)) throw new ServiceError('forbidden', 'this link may not be opened');
        await platform.openExternal(url);
      },
    },
    presence,
    people: sync,
    files: createFiles({
      db,
      session,
      emit,
      download: (url) => platform.download(url),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
    recordings: {
      async download(meetingId, recordingId) {
        const link = await session.call('recordingLink', { params: { meetingId, recordingId }, body: {} });
        await platform.download(link.downloadUrl);
      },
    },
    screen: {
      async sources(width) {
        if (!policyAllowsScreenShare(policy.values.screenShare, true))
          throw new ServiceError('forbidden', 'your organisation has turned screen sharing off on this computer');
        return platform.screenSources(width);
      },
    },
    // Joining a linked meeting opens links only through the same gate as shell:openExternal.
    linked: createLinked({ session, openExternal: (url) => services.shell.openExternal(url), openSignInPage }),
    collab,
    audit: createAudit({ session }),
    registrants: createRegistrants({ session }),
    transcripts,
    overlay: createOverlay(platform.overlays),
    notifications: {
      // What is on screen is also what is read: the conversation shown keeps no unread count.
      setAttention(attention) {
        notifications.setAttention(attention);
        void sync.setViewing(attention.viewing).catch(onError);
      },
    },
    deepLinks,
    e2ee: {
      deviceKey() {
        const user = session.current()?.user;
        if (user === undefined) throw new ServiceError('unauthenticated', 'not signed in');
        return deviceKeys.get(user.id);
      },
      chatHistory: (meetingId) => db.read('encryptedChat', meetingId),
      keepChat: (meetingId, message) => db.write('keepEncryptedChat', { meetingId, message }),
    },
  };

  return {
    services,
    shell: { closeToTray: () => closeToTray },
    async close() {
      shortcuts?.stop();
      idle?.stop();
      appIcon?.stop();
      reminders.stop();
      transcripts.close();
      services.overlay.close();
      outbox.stop();
      await realtime.stop();
      await db.close();
    },
  };
}
