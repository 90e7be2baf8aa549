import crypto from 'node:crypto';
import type { SecretCipher } from '../services/secretStore.ts';
import { createLinkInbox } from './linkInbox.ts';
import type { AboutBox, HelpAction, HelpMenuModel } from '../services/helpMenu.ts';
import type { TrayAction, TrayModel } from '../services/tray.ts';
import type {
  AppMenuSurface,
  GlobalShortcutSurface,
  LoginItemSurface,
  NotificationSurface,
  Platform,
  PowerEvents,
  TaskbarOverlay,
} from './types.ts';

/** A notification the app showed, as the OS's notification centre holds it. */
export type RecordedNotification = {
  readonly title: string;
  readonly body: string;
  /** Still on screen: neither clicked nor closed by the app. */
  readonly open: boolean;
};

/** The OS's notification centre and window focus, played by a test. */
export type NotificationCentre = NotificationSurface & {
  readonly shown: readonly RecordedNotification[];
  /** The user clicks the newest open notification whose title contains `title`; false if none. */
  click(title: string): boolean;
  /** The user switches to another app (false) or back (true). */
  setWindowFocused(focused: boolean): void;
};

export function notificationCentre(): NotificationCentre {
  const shown: { title: string; body: string; open: boolean; onClick: () => void }[] = [];
  let focused = true;
  return {
    get shown() {
      return shown.map(({ title, body, open }) => ({ title, body, open }));
    },
    windowFocused: () => focused,
    setWindowFocused(next) {
      focused = next;
    },
    focusWindow() {
      focused = true;
    },
    show(notification, onClick) {
      const entry = { ...notification, open: true, onClick };
      shown.push(entry);
      return {
        close() {
          entry.open = false;
        },
      };
    },
    click(title) {
      const entry = shown.findLast((n) => n.open && n.title.includes(title));
      if (entry === undefined) return false;
      entry.open = false;
      entry.onClick();
      return true;
    },
  };
}

export type HeadlessPlatform = Platform & {
  readonly notifications: NotificationCentre;
  readonly power: PowerEvents;
  /** Every count the app put on its icon, in order. */
  readonly badges: readonly number[];
  /** Every overlay the app put over its taskbar button (Windows), null for cleared, in order. */
  readonly taskbarOverlays: readonly (TaskbarOverlay | null)[];
  /** The tray's icon and menu as the app last set them; null before it did. */
  tray: { readonly model: TrayModel | null; click(action: TrayAction): void };
  /** The app menu's Help as the app last set it, a click on one of its items, and the About boxes shown. */
  readonly appMenu: AppMenuSurface & {
    readonly model: HelpMenuModel | null;
    readonly abouts: readonly AboutBox[];
    click(action: HelpAction): void;
  };
  readonly openedLinks: readonly string[];
  /** What the app asked the OS to download. */
  readonly downloads: readonly string[];
  /** What the OS does when the app is launched again, e.g. by a clicked link (Windows, Linux). */
  secondInstance(argv: readonly string[]): void;
  /** What macOS does when a `tandem:` link is opened while the app runs. */
  openUrl(url: string): void;
  /** The computer wakes from sleep. */
  wake(): void;
  /** The person has not touched the keyboard or mouse for this long (0: just now). */
  setIdleSeconds(seconds: number): void;
  /** The screen locks (true) or unlocks (false). */
  lockScreen(locked: boolean): void;
  /** The computer goes to sleep. */
  suspend(): void;
  /** The OS's global shortcuts: what the app holds, and a key press. */
  readonly globalShortcuts: GlobalShortcutSurface & {
    readonly held: readonly string[];
    press(accelerator: string): void;
  };
  /** The OS's login items: whether the app starts at login. */
  readonly loginItems: LoginItemSurface & { readonly changes: readonly boolean[] };
};

/**
 * Main's platform where there is no Electron (tests, the browser harness): links and downloads
 * are recorded instead of opened, there are no capturable windows (the browser's getDisplayMedia picks the
 * screen), no overlay windows, and the key store is whatever the caller passes, none by default.
 * OS links arrive when the caller plays the OS: `argv` at launch, then `secondInstance`/`openUrl`.
 */
export function headlessPlatform(
  options: {
    readonly secretCipher?: SecretCipher | null;
    readonly argv?: readonly string[];
    /** Plays the OS's browser for the links the app opens (after recording them); none by default. */
    readonly browser?: (url: string) => Promise<void>;
    /** Global shortcuts other apps hold (registering one fails, as the OS's would). */
    readonly shortcutsTakenByOthers?: readonly string[];
    /** The OS's preferred languages; absent: the runtime's locale. */
    readonly systemLanguages?: readonly string[];
  } = {},
): HeadlessPlatform {
  const openedLinks: string[] = [];
  const downloads: string[] = [];
  const links = createLinkInbox();
  links.deliver(options.argv ?? []);
  const onResume: (() => void)[] = [];
  const onLock: ((locked: boolean) => void)[] = [];
  const onSuspend: (() => void)[] = [];
  let idleSeconds = 0;
  const shortcuts = new Map<string, () => void>();
  const takenByOthers = new Set((options.shortcutsTakenByOthers ?? []).map((a) => a.toLowerCase()));
  const loginChanges: boolean[] = [];
  const badges: number[] = [];
  const taskbarOverlays: (TaskbarOverlay | null)[] = [];
  let trayListener: (action: TrayAction) => void = () => undefined;
  let trayModel: TrayModel | null = null;
  const tray = {
    get model() {
      return trayModel;
    },
    set(model: TrayModel) {
      trayModel = model;
    },
    onAction(listener: (action: TrayAction) => void) {
      trayListener = listener;
    },
    click: (action: TrayAction) => trayListener(action),
  };
  let menuListener: (action: HelpAction) => void = () => undefined;
  let menuModel: HelpMenuModel | null = null;
  const abouts: AboutBox[] = [];
  const appMenu = {
    get model() {
      return menuModel;
    },
    abouts,
    set(model: HelpMenuModel) {
      menuModel = model;
    },
    onAction(listener: (action: HelpAction) => void) {
      menuListener = listener;
    },
    showAbout: (about: AboutBox) => void abouts.push(about),
    click: (action: HelpAction) => menuListener(action),
  };
  return {
    appMenu,
    secretCipher: options.secretCipher ?? null,
    ...(options.systemLanguages === undefined ? {} : { systemLanguages: options.systemLanguages }),
    openedLinks,
    async openExternal(url) {
      openedLinks.push(url);
      await options.browser?.(url);
    },
    downloads,
    download: async (url) => void downloads.push(url),
    screenSources: async () => [],
    overlays: null,
    notifications: notificationCentre(),
    links,
    secondInstance: (argv) => links.deliver(argv),
    openUrl: (url) => links.deliver([url]),
    badges,
    badge: { set: (count) => void badges.push(count) },
    taskbarOverlays,
    taskbarOverlay: { set: (overlay) => void taskbarOverlays.push(overlay) },
    tray,
    power: {
      onResume: (listener) => void onResume.push(listener),
      onSuspend: (listener) => void onSuspend.push(listener),
      idleSeconds: () => idleSeconds,
      onLock: (listener) => void onLock.push(listener),
    },
    wake: () => onResume.forEach((listener) => listener()),
    setIdleSeconds: (seconds) => void (idleSeconds = seconds),
    lockScreen: (locked) => onLock.forEach((listener) => listener(locked)),
    suspend: () => onSuspend.forEach((listener) => listener()),
    globalShortcuts: {
      get held() {
        return [...shortcuts.keys()];
      },
      register(accelerator, onPress) {
        const key = accelerator.toLowerCase();
        if (takenByOthers.has(key) || shortcuts.has(key)) return false;
        shortcuts.set(key, onPress);
        return true;
      },
      unregister: (accelerator) => void shortcuts.delete(accelerator.toLowerCase()),
      press: (accelerator) => shortcuts.get(accelerator.toLowerCase())?.(),
    },
    loginItems: {
      changes: loginChanges,
      enabled: () => loginChanges.at(-1) ?? false,
      set: (enabled) => void loginChanges.push(enabled),
    },
  };
}

/**
 * A stand-in for the OS key store (Electron's safeStorage) in tests and the harness: AES-256-GCM
 * under a key held by the caller, so a restarted process with the same key reads its tokens back.
 */
export function fakeKeyStoreCipher(key: Buffer): SecretCipher {
  if (key.length !== 32) throw new Error('fakeKeyStoreCipher needs a 32-byte key');
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(data) {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
