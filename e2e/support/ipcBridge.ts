/**
 * The desktop side of an end-to-end test, without Electron: the real main-process core (cache
 * worker, session, sync, outbox) and the real IPC handlers, served to a Chromium page over a
 * loopback WebSocket. Open the renderer with `?bridge=<bridgeUrl>` and it talks to these exactly
 * as it talks to the preload in Electron.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startCore } from '../../apps/desktop/src/main/core.ts';
import { createIpcHandlers } from '../../apps/desktop/src/main/ipc/handlers.ts';
import { startWsBridge } from '../../apps/desktop/src/main/ipc/wsBridge.ts';
import { fileLogger } from '../../apps/desktop/src/main/log.ts';
import { fakeKeyStoreCipher, headlessPlatform } from '../../apps/desktop/src/main/platform/headless.ts';
import { ownUiOrigins } from '../../apps/desktop/src/main/security/uiOrigin.ts';

export type DesktopSide = {
  /** Give the page `?bridge=<bridgeUrl>`. */
  readonly bridgeUrl: string;
  readonly dataDir: string;
  /** Links the app asked the OS to open (allowlisted ones only). */
  readonly openedLinks: readonly string[];
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
  });
  const log = fileLogger(path.join(options.dataDir, 'logs', 'main.log'));
  const bridge = await startWsBridge({ isTrustedOrigin: isOwnUi });
  // Short reconnect delays: tests stop and restart the server and wait for the app to notice.
  const core = await startCore({
    dataDir: options.dataDir,
    platform,
    emit: bridge.emit,
    log,
    reconnect: { initialMs: 200, maxMs: 2_000 },
  });
  bridge.setHandlers(createIpcHandlers(core.services, { isTrustedSender: isOwnUi, log }));
  return {
    bridgeUrl: bridge.url,
    dataDir: options.dataDir,
    openedLinks: platform.openedLinks,
    async close() {
      await bridge.close();
      await core.close();
    },
  };
}
