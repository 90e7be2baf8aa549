/**
 * The Electron composition root: the only module that wires Electron to the app. Importing it
 * does nothing; `main()` (called by entry.ts) starts the app. Everything it calls is tested
 * without Electron; what is left here are one-line Electron calls.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, app, ipcMain, net, protocol, session, shell } from 'electron';
import { IPC_CHANNEL_NAMES, PRODUCT, applyPolicy, type IpcEvent, type IpcEventPayload } from '@tandem/shared';
import { openCache, startCore, type Core } from './core.ts';
import { devNativeDir } from './db/nativeBinding.ts';
import { createIpcHandlers } from './ipc/handlers.ts';
import { fileLogger, type Logger } from './log.ts';
import { electronLinks, electronPlatform } from './platform/electron.ts';
import { loadMachinePolicy } from './policy/machinePolicy.ts';
import { contentSecurityPolicy } from './security/csp.ts';
import { decideNavigation, decideWindowOpen } from './security/navigation.ts';
import { isPermissionGranted } from './security/permissions.ts';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, ownUiOrigins } from './security/uiOrigin.ts';
import { appFileFor, contentTypeOf } from './shell/appFiles.ts';
import { startsHidden } from './services/autoStart.ts';
import { onWindowClose } from './shell/closeToTray.ts';
import { MEDIA_SWITCHES } from './shell/mediaSwitches.ts';
import { secureWindowOptions } from './shell/window.ts';
import { startUpdates } from './updates/electronUpdates.ts';

/** Where the built app lives: out/main/index.js beside out/preload and out/renderer. */
const OUT = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(OUT, '..', 'preload', 'index.cjs');
const RENDERER = path.join(OUT, '..', 'renderer');
const DB_WORKER = pathToFileURL(path.join(OUT, 'dbWorker.js'));

export async function main(): Promise<void> {
  // A second launch (for example a clicked tandem:// link) hands its arguments to the first.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Unpackaged (`electron .`), the OS must be told to start Electron with our entry as argument.
  if (process.defaultApp) {
    app.setAsDefaultProtocolClient(PRODUCT.protocolScheme, process.execPath, [path.resolve(process.argv[1] ?? '.')]);
  } else {
    app.setAsDefaultProtocolClient(PRODUCT.protocolScheme);
  }
  // Before Electron is ready: Chromium reads its switches as it starts.
  for (const [name, value] of MEDIA_SWITCHES) app.commandLine.appendSwitch(name, value);
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);

  const devServer = app.isPackaged ? undefined : process.env['TANDEM_DEV_SERVER_URL'];
  const isOwnUi = ownUiOrigins(devServer === undefined ? [] : [devServer]);
  const devOrigin = devServer === undefined ? {} : { devOrigin: new URL(devServer).origin };
  // The renderer connects only to the signed-in server and its LiveKit URL(s): the policy follows
  // the session, and the page is reloaded under a new one when they change (a page keeps the
  // policy it was loaded with).
  let core: Core | null = null;
  const currentCsp = () =>
    contentSecurityPolicy({
      ...devOrigin,
      connect: core?.services.auth.connectTargets() ?? { serverUrl: null, livekitUrls: [] },
    });
  let servedCsp = '';
  // Before ready: macOS sends the link that launched the app as an early open-url.
  const links = electronLinks();

  // The cache's worker starts now, beside Electron's own start-up and the policy read, so neither
  // the window nor its first cached paint waits for it (BENCHMARKS.md, B4). Core awaits it, and
  // handles its failure; its later warnings go to the log, which exists once Electron is ready.
  const warnings: { log: Logger | null } = { log: null };
  const dataDir = app.getPath('userData');
  const cache = openCache({
    dataDir,
    dbWorker: DB_WORKER,
    // Unpackaged, node_modules holds better-sqlite3's Node build: the cache loads the Electron
    // build `npm start` made in the repository's .tools. Packaged, electron-builder rebuilt it.
    nativeSqlite: {
      packaged: app.isPackaged,
      searchDirs: app.isPackaged ? [] : [devNativeDir(path.resolve(app.getAppPath(), '..', '..'))],
    },
    onWarning: (message) => warnings.log?.warn('cache', { message }),
  });
  void cache.catch(() => undefined);

  // Windows shows notifications only for an app with this id (the installer's shortcut carries it).
  app.setAppUserModelId(PRODUCT.appId);
  await app.whenReady();
  const logsDir = app.getPath('logs');
  const log: Logger = fileLogger(path.join(logsDir, 'main.log'));
  warnings.log = log;
  let window: BrowserWindow | null = null;

  // Its arguments (a link, say) reach core through `links`; here the window comes forward.
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    // Hidden in the tray (closed to it, or started at login): launching again shows it.
    window?.show();
    window?.focus();
  });

  protocol.handle(APP_SCHEME, async (request) => {
    const file = appFileFor(RENDERER, request.url);
    if (file === null) return new Response('not found', { status: 404 });
    const body = await net.fetch(pathToFileURL(file).href);
    if (!body.ok) return new Response('not found', { status: 404 });
    const csp = currentCsp();
    if (file.endsWith('.html')) servedCsp = csp;
    return new Response(body.body, {
      headers: { 'content-type': contentTypeOf(file), 'content-security-policy': csp },
    });
  });

  // The machine's policy is read before any page can ask for a permission it may refuse.
  const { policy, problems } = await loadMachinePolicy();
  if (problems.length > 0) log.warn('policy problems', problems);
  const managed = applyPolicy({}, policy);

  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isPermissionGranted(permission, details.requestingUrl, isOwnUi, managed.values.screenShare)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin, isOwnUi, managed.values.screenShare),
  );
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    const guard = (event: { preventDefault(): void }, url: string) => {
      const decision = decideNavigation(url, isOwnUi);
      if (decision === 'stay') return;
      event.preventDefault();
      if (decision === 'openExternally') void shell.openExternal(url);
      else log.warn('navigation refused', { url });
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.setWindowOpenHandler(({ url }) => {
      if (decideWindowOpen(url) === 'openExternally') void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  const emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => window?.webContents.send(event, payload);
  const uiUrl = devServer ?? `${APP_ORIGIN}/index.html`;
  core = await startCore({
    dataDir,
    platform: electronPlatform(
      { preload: PRELOAD, url: `${uiUrl}#overlay` },
      links,
      () => window,
      // Packaged, electron-builder's extraResources put it there; unpackaged, it is the repository's.
      app.isPackaged
        ? path.join(process.resourcesPath, 'tray.png')
        : path.resolve(app.getAppPath(), '..', '..', 'resources', 'icons', '32x32.png'),
    ),
    emit,
    log,
    logsDir,
    versions: {
      app: app.getVersion(),
      electron: process.versions.electron,
      chrome: process.versions.chrome,
      node: process.versions.node,
      os: `${process.platform} ${process.getSystemVersion()} ${process.arch}`,
    },
    cache,
    policy: managed,
    onConnectTargetsChanged: async () => {
      const contents = window?.webContents;
      if (contents === undefined || servedCsp === '' || currentCsp() === servedCsp) return;
      // Sign-in's answer waits for the new page: the old one would act on it, then be torn down.
      const loaded = new Promise<void>((resolve) => {
        contents.once('did-navigate', () => resolve());
        contents.once('did-fail-load', () => resolve());
      });
      contents.reload();
      await loaded;
    },
  });
  const started = core;
  const handlers = createIpcHandlers(started.services, { isTrustedSender: isOwnUi, log });
  for (const channel of IPC_CHANNEL_NAMES) {
    const handler = handlers.get(channel);
    if (handler !== undefined)
      ipcMain.handle(channel, (event, request) => handler(request, { url: event.senderFrame?.url ?? '' }));
  }
  const updates = await startUpdates(managed.values, (error) => log.warn('update check failed', error));

  window = new BrowserWindow({ ...secureWindowOptions(PRELOAD), title: PRODUCT.productName });
  // Started at login: the app stays in the tray until opened from it.
  const openedAtLoginByMacOs = process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
  if (!startsHidden(process.argv, openedAtLoginByMacOs)) window.once('ready-to-show', () => window?.show());
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  window.on('close', (event) => {
    if (onWindowClose({ quitting, closeToTray: started.shell.closeToTray() }) === 'close') return;
    event.preventDefault();
    window?.hide();
  });
  window.on('closed', () => {
    window = null;
    // The overlay belongs to the call in this window: it must not outlive it.
    started.services.overlay.close();
  });
  await window.loadURL(uiUrl);
  log.info('started', { version: app.getVersion(), host: APP_HOST });

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    updates.stop();
    void started.close();
  });
}
