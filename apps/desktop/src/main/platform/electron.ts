import {
  BrowserWindow,
  Menu,
  dialog,
  Notification,
  Tray,
  app,
  desktopCapturer,
  globalShortcut,
  nativeImage,
  powerMonitor,
  safeStorage,
  screen,
  shell,
} from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { PRODUCT } from '@tandem/shared';
import { HIDDEN_ARG } from '../services/autoStart.ts';
import type { HelpAction } from '../services/helpMenu.ts';
import { decodePng } from '../services/png.ts';
import type { TrayAction } from '../services/tray.ts';
import { trayIconPng } from '../services/trayImage.ts';
import { annotationOverlayOptions, showAnnotationOverlay } from '../shell/annotationOverlay.ts';
import { createLinkInbox } from './linkInbox.ts';
import { desktopExecArg, linuxAutostart } from './linuxAutostart.ts';
import type {
  AppMenuSurface,
  LinkSource,
  LoginItemSurface,
  NotificationSurface,
  OverlaySurface,
  Platform,
  TraySurface,
} from './types.ts';

/**
 * On Linux without a keyring, safeStorage "encrypts" with a hard-coded key (`basic_text`):
 * that is plain text in all but name, so we treat it as no key store.
 */
function hasRealKeyStore(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/** Where overlay windows load from: the renderer page's overlay route, with the app's preload. */
export type OverlayPage = { readonly preload: string; readonly url: string };

function electronOverlays(page: OverlayPage): OverlaySurface {
  return {
    async displayBoundsOf(sourceId) {
      const sources = await desktopCapturer.getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } });
      const displayId = sources.find((source) => source.id === sourceId)?.display_id;
      return screen.getAllDisplays().find((display) => String(display.id) === displayId)?.bounds ?? null;
    },
    open(bounds, events) {
      const window = new BrowserWindow(annotationOverlayOptions(page.preload, bounds));
      window.once('ready-to-show', () => showAnnotationOverlay(window));
      window.webContents.on('did-finish-load', events.ready);
      window.on('closed', events.closed);
      void window.loadURL(page.url);
      return {
        send: (scene) => window.webContents.send('overlay:scene', scene),
        close: () => window.destroy(),
      };
    },
  };
}

/**
 * Electron's notifications over the app's one window. A notification is kept referenced until
 * it is clicked or closed: one collected by the garbage collector loses its click handler.
 */
function electronNotifications(appWindow: () => BrowserWindow | null): NotificationSurface | null {
  if (!Notification.isSupported()) return null;
  const alive = new Set<Notification>();
  return {
    windowFocused: () => appWindow()?.isFocused() ?? false,
    focusWindow() {
      const window = appWindow();
      if (window === null) return;
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    show({ title, body }, onClick) {
      const notification = new Notification({ title, body });
      alive.add(notification);
      notification.on('click', () => {
        alive.delete(notification);
        onClick();
      });
      notification.on('close', () => alive.delete(notification));
      notification.show();
      return {
        close() {
          alive.delete(notification);
          notification.close();
        },
      };
    },
  };
}

/**
 * The OS's links: this launch's argv, a second instance's argv and open-url. Call it before
 * `app.whenReady()`: macOS sends open-url for the link that launched the app that early.
 */
export function electronLinks(): LinkSource {
  const links = createLinkInbox();
  links.deliver(process.argv);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    links.deliver([url]);
  });
  app.on('second-instance', (_event, argv) => links.deliver(argv));
  return links;
}

/**
 * The tray (menu bar) icon and its menu, made from main's model (services/tray.ts). Open and Quit
 * are the shell's; the status items go to main. The icon is the app's with the status's and the
 * unread dots (services/trayImage.ts); the state also shows in the tooltip, the menu's check marks
 * and, on macOS, the unread count beside the icon.
 */
function electronTray(iconPath: string, appWindow: () => BrowserWindow | null): TraySurface {
  const base = decodePng(fs.readFileSync(iconPath));
  // The 32 px icon is 16 points in the macOS menu bar (a 2× image); elsewhere the shell scales it.
  const scaleFactor = process.platform === 'darwin' ? 2 : 1;
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  let listener: (action: TrayAction) => void = () => undefined;
  const open = () => {
    const window = appWindow();
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  tray.on('click', open);
  return {
    set(model) {
      tray.setImage(nativeImage.createFromBuffer(trayIconPng(base, model.icon), { scaleFactor }));
      tray.setToolTip(model.tooltip);
      if (process.platform === 'darwin') tray.setTitle(model.unread > 0 ? String(model.unread) : '');
      tray.setContextMenu(
        Menu.buildFromTemplate(
          model.items.map((item) =>
            item.kind === 'separator'
              ? { type: 'separator' as const }
              : {
                  label: item.label,
                  ...(item.checked === undefined ? {} : { type: 'radio' as const, checked: item.checked }),
                  click: () => {
                    if (item.action === 'open' || item.action === 'joinByCode') open();
                    if (item.action === 'quit') app.quit();
                    else if (item.action !== 'open') listener(item.action);
                  },
                },
          ),
        ),
      );
    },
    onAction(next) {
      listener = next;
    },
  };
}

/**
 * The app menu: the OS's usual menus by their roles (so copy, paste, reload and window commands
 * keep working) and main's Help menu (services/helpMenu.ts) in the app's language.
 */
function electronAppMenu(appWindow: () => BrowserWindow | null): AppMenuSurface {
  let listener: (action: HelpAction) => void = () => undefined;
  return {
    set(model) {
      Menu.setApplicationMenu(
        Menu.buildFromTemplate([
          ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
          { role: 'fileMenu' },
          { role: 'editMenu' },
          { role: 'viewMenu' },
          { role: 'windowMenu' },
          {
            role: 'help',
            label: model.label,
            submenu: model.items.map((item) => ({ label: item.label, click: () => listener(item.action) })),
          },
        ]),
      );
    },
    onAction(next) {
      listener = next;
    },
    showAbout(about) {
      const options = { type: 'info' as const, title: about.title, message: about.message, detail: about.detail };
      const window = appWindow();
      void (window === null ? dialog.showMessageBox(options) : dialog.showMessageBox(window, options));
    },
  };
}

/**
 * Start at login, minimised: Electron's login items on macOS and Windows; on Linux (where they do
 * nothing) the XDG autostart entry, running the AppImage when that is what was installed.
 */
function electronLoginItems(): LoginItemSurface {
  if (process.platform === 'linux') {
    const executable = process.env['APPIMAGE'] ?? process.execPath;
    return linuxAutostart(
      path.join(app.getPath('appData'), 'autostart'),
      PRODUCT.productName,
      [executable, HIDDEN_ARG].map(desktopExecArg).join(' '),
    );
  }
  const args = [HIDDEN_ARG];
  return {
    enabled: () => app.getLoginItemSettings({ args }).openAtLogin,
    set: (openAtLogin) => app.setLoginItemSettings({ openAtLogin, args }),
  };
}

/** Must be created after `app.whenReady()` (safeStorage, desktopCapturer and screen need the app ready). */
export function electronPlatform(
  overlayPage: OverlayPage,
  links: LinkSource,
  appWindow: () => BrowserWindow | null,
  trayIcon: string,
): Platform {
  return {
    links,
    systemLanguages: app.getPreferredSystemLanguages(),
    notifications: electronNotifications(appWindow),
    secretCipher: hasRealKeyStore()
      ? { encrypt: (plain) => safeStorage.encryptString(plain), decrypt: (data) => safeStorage.decryptString(data) }
      : null,
    openExternal: (url) => shell.openExternal(url),
    async download(url) {
      const window = appWindow();
      if (window === null) throw new Error('the app has no window to download with');
      window.webContents.downloadURL(url);
    },
    overlays: electronOverlays(overlayPage),
    // The dock (macOS) and the Unity launcher (Linux) show a count; Windows' taskbar shows an
    // overlay icon drawn per count (setBadgeCount does nothing there).
    badge: process.platform === 'win32' ? null : { set: (count) => void app.setBadgeCount(count) },
    taskbarOverlay:
      process.platform === 'win32'
        ? {
            set: (overlay) =>
              appWindow()?.setOverlayIcon(
                overlay === null ? null : nativeImage.createFromBuffer(overlay.png),
                overlay?.description ?? '',
              ),
          }
        : null,
    tray: electronTray(trayIcon, appWindow),
    appMenu: electronAppMenu(appWindow),
    globalShortcuts: {
      register: (accelerator, onPress) => {
        try {
          return globalShortcut.register(accelerator, onPress);
        } catch {
          // Electron throws on an accelerator it cannot parse: for the app, that is not registered.
          return false;
        }
      },
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
    },
    loginItems: electronLoginItems(),
    power: {
      onResume: (listener) => void powerMonitor.on('resume', listener),
      onSuspend: (listener) => void powerMonitor.on('suspend', listener),
      idleSeconds: () => powerMonitor.getSystemIdleTime(),
      onLock(listener) {
        powerMonitor.on('lock-screen', () => listener(true));
        powerMonitor.on('unlock-screen', () => listener(false));
      },
    },
    async screenSources(thumbnailWidth) {
      const size = { width: thumbnailWidth, height: Math.round((thumbnailWidth * 9) / 16) };
      const sources = await desktopCapturer.getSources({
        types: ['screen', 'window'],
        thumbnailSize: size,
        fetchWindowIcons: true,
      });
      return sources.map((source) => ({
        id: source.id,
        name: source.name,
        kind: source.id.startsWith('screen:') ? 'screen' : 'window',
        thumbnailDataUrl: source.thumbnail.toDataURL(),
        appIconDataUrl: source.appIcon?.toDataURL() ?? null,
      }));
    },
  };
}
