/**
 * The desktop side of an end-to-end test, without Electron: the real main-process core (cache
 * worker, session, sync, outbox) and the real IPC handlers, served to a Chromium page over a
 * loopback WebSocket. Open the renderer with `?bridge=<bridgeUrl>` and it talks to these exactly
 * as it talks to the preload in Electron.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthTokensSchema, type AuthTokens, type ManagedSettings } from '@tandem/shared';
import { freeTcpPort, logsDir, spawnOwned, waitForTcp } from '@tandem/devstack';
import { startCore } from '../../apps/desktop/src/main/core.ts';
import { createIpcHandlers } from '../../apps/desktop/src/main/ipc/handlers.ts';
import { startWsBridge } from '../../apps/desktop/src/main/ipc/wsBridge.ts';
import { fileLogger } from '../../apps/desktop/src/main/log.ts';
import {
  fakeKeyStoreCipher,
  headlessPlatform,
  type NotificationCentre,
} from '../../apps/desktop/src/main/platform/headless.ts';
import { ownUiOrigins } from '../../apps/desktop/src/main/security/uiOrigin.ts';
import { encryptedFileSecretStore } from '../../apps/desktop/src/main/services/secretStore.ts';
import { TOKENS_SECRET } from '../../apps/desktop/src/main/services/session.ts';

export type DesktopSide = {
  /** Give the page `?bridge=<bridgeUrl>`. */
  readonly bridgeUrl: string;
  readonly dataDir: string;
  /** Links the app asked the OS to open (allowlisted ones only). */
  readonly openedLinks: readonly string[];
  /** What the app asked the OS to download (a recording's file). */
  readonly downloads: readonly string[];
  /**
   * Plays the OS handing the app a link, into main's real routing: a second launch with these
   * arguments (Windows, Linux: `[exe, 'tandem://join/…']`), or macOS's open-url.
   */
  secondInstance(argv: readonly string[]): void;
  openUrl(url: string): void;
  /** The OS's notification centre and the window's focus, as main sees them: read, click, switch away. */
  readonly notifications: Pick<NotificationCentre, 'shown' | 'click' | 'setWindowFocused'>;
  /** Plays the OS delivering a global shortcut the app registered (a no-op for one it does not hold). */
  pressShortcut(accelerator: string): void;
  /** The access and refresh tokens main keeps in the (fake) OS key store now; none while signed out. */
  keptTokens(): Promise<AuthTokens | null>;
  close(): Promise<void>;
};

export type DesktopSideOptions = {
  /** The user's data folder; reuse it to restart the desktop side on the same cache. */
  readonly dataDir: string;
  /** The origin serving the renderer (e.g. `http://localhost:PORT`): the only one allowed to call. */
  readonly pageOrigin: string;
  /**
   * Whether the fake OS key store keeps the tokens across restarts (a desktop with a keyring), or
   * there is none (the user signs in again after a restart; the cache still renders).
   */
  readonly keyStore?: 'persistent' | 'none';
  /** The bridge's loopback port; any free one by default. */
  readonly port?: number;
  /** The organisation's policy on this machine, as main resolves it from the OS at start (in-process side only). */
  readonly policy?: ManagedSettings;
  /** The launch's arguments, e.g. with the `tandem://` link that started the app (in-process side only). */
  readonly argv?: readonly string[];
  /** The system browser: opens the links the app hands the OS (in-process side only); none by default. */
  readonly systemBrowser?: (url: string) => Promise<void>;
  /** Global shortcuts other apps hold, so registering them fails as the OS's would (in-process side only). */
  readonly shortcutsTakenByOthers?: readonly string[];
};

/** The fake key store's key lives beside the data, as the OS keyring would outlive the process. */
function keyFor(dataDir: string): Buffer {
  const file = path.join(dataDir, 'fake-os-keystore.key');
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32));
  return fs.readFileSync(file);
}

export async function startDesktopSide(options: DesktopSideOptions): Promise<DesktopSide> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const isOwnUi = ownUiOrigins([options.pageOrigin]);
  const platform = headlessPlatform({
    secretCipher: options.keyStore === 'none' ? null : fakeKeyStoreCipher(keyFor(options.dataDir)),
    ...(options.argv === undefined ? {} : { argv: options.argv }),
    ...(options.systemBrowser === undefined ? {} : { browser: options.systemBrowser }),
    ...(options.shortcutsTakenByOthers === undefined ? {} : { shortcutsTakenByOthers: options.shortcutsTakenByOthers }),
  });
  const logsDir = path.join(options.dataDir, 'logs');
  const log = fileLogger(path.join(logsDir, 'main.log'));
  const bridge = await startWsBridge({
    isTrustedOrigin: isOwnUi,
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  // Short reconnect delays: tests stop and restart the server and wait for the app to notice.
  const core = await startCore({
    dataDir: options.dataDir,
    platform,
    emit: bridge.emit,
    log,
    logsDir,
    versions: { app: 'harness', node: process.versions.node },
    reconnect: { initialMs: 200, maxMs: 2_000 },
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  });
  bridge.setHandlers(createIpcHandlers(core.services, { isTrustedSender: isOwnUi, log }));
  return {
    bridgeUrl: bridge.url,
    dataDir: options.dataDir,
    openedLinks: platform.openedLinks,
    downloads: platform.downloads,
    secondInstance: platform.secondInstance,
    openUrl: platform.openUrl,
    notifications: platform.notifications,
    pressShortcut: platform.globalShortcuts.press,
    async keptTokens() {
      if (platform.secretCipher === null) return null;
      const kept = await encryptedFileSecretStore(path.join(options.dataDir, 'secrets.bin'), platform.secretCipher).get(
        TOKENS_SECRET,
      );
      return kept === null ? null : AuthTokensSchema.parse(JSON.parse(kept));
    },
    async close() {
      await bridge.close();
      await core.close();
    },
  };
}

export type DesktopProcess = {
  readonly bridgeUrl: string;
  readonly dataDir: string;
  /** Ends the process the way an OS shutdown does (SIGTERM): it closes its cache and exits. */
  close(): Promise<void>;
};

const HARNESS_ENV = {
  dataDir: 'TANDEM_HARNESS_DATA_DIR',
  origin: 'TANDEM_HARNESS_ORIGIN',
  port: 'TANDEM_HARNESS_PORT',
  keyStore: 'TANDEM_HARNESS_KEY_STORE',
} as const;

/**
 * The desktop side as a separate OS process (this file run with tsx): nothing in memory
 * survives a restart, only the data folder and the (fake) OS key store, as with the real app.
 */
export async function startDesktopProcess(options: DesktopSideOptions): Promise<DesktopProcess> {
  const port = options.port ?? (await freeTcpPort());
  fs.mkdirSync(logsDir, { recursive: true });
  const spawned = spawnOwned(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url)],
    path.join(logsDir, `desktop-harness-${port}.log`),
    {
      [HARNESS_ENV.dataDir]: options.dataDir,
      [HARNESS_ENV.origin]: options.pageOrigin,
      [HARNESS_ENV.port]: String(port),
      [HARNESS_ENV.keyStore]: options.keyStore ?? 'persistent',
    },
  );
  try {
    await waitForTcp('127.0.0.1', port, 30_000);
  } catch (error) {
    await spawned.stop();
    throw error;
  }
  return { bridgeUrl: `ws://127.0.0.1:${port}`, dataDir: options.dataDir, close: () => spawned.stop(10_000) };
}

/** Run as a process by startDesktopProcess: serve until SIGTERM, then close the cache cleanly. */
async function serveAsProcess(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (value === undefined) throw new Error(`${name} is not set`);
    return value;
  };
  const side = await startDesktopSide({
    dataDir: env(HARNESS_ENV.dataDir),
    pageOrigin: env(HARNESS_ENV.origin),
    port: Number(env(HARNESS_ENV.port)),
    keyStore: env(HARNESS_ENV.keyStore) === 'none' ? 'none' : 'persistent',
  });
  process.once('SIGTERM', () => {
    void side.close().then(() => process.exit(0));
  });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await serveAsProcess();
}
