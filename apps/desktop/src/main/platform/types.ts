import type { IpcEventPayload, OverlayBounds, ScreenSource } from '@tandem/shared';
import type { SecretCipher } from '../services/secretStore.ts';
import type { AboutBox, HelpAction, HelpMenuModel } from '../services/helpMenu.ts';
import type { TrayAction, TrayModel } from '../services/tray.ts';

/**
 * What main needs from Electron beyond windows. The Electron implementation is platform/electron.ts;
 * tests and the Node test harness pass small fakes, so nothing else in main imports electron.
 */
export type Platform = {
  /** The OS key store's cipher, or null when there is none (secrets then stay in memory). */
  readonly secretCipher: SecretCipher | null;
  openExternal(url: string): Promise<void>;
  /** Downloads `url` as the browser would a link (a save dialog or the downloads folder). */
  download(url: string): Promise<void>;
  screenSources(thumbnailWidth: number): Promise<ScreenSource[]>;
  /** Transparent always-on-top windows over a display; null where there are none (the harness). */
  readonly overlays: OverlaySurface | null;
  /** `tandem:` links the OS hands the app. */
  readonly links: LinkSource;
  /** The OS's notifications and the app window's focus; null where the OS has none. */
  readonly notifications: NotificationSurface | null;
  /** The computer's sleep and wake, screen lock and idle time; null where nothing tells (the browser harness). */
  readonly power: PowerEvents | null;
  /** The count on the app's dock or launcher icon (macOS, Linux Unity); null where there is none. */
  readonly badge: BadgeSurface | null;
  /** Windows' count: an overlay icon over the taskbar button, with its words; null elsewhere. */
  readonly taskbarOverlay: TaskbarOverlaySurface | null;
  /** The tray or menu bar icon; null where there is none. */
  readonly tray: TraySurface | null;
  /** The app menu (its Help menu); null where there is none. */
  readonly appMenu: AppMenuSurface | null;
  /** Keyboard shortcuts that work while another app has the focus; null where there are none. */
  readonly globalShortcuts: GlobalShortcutSurface | null;
  /** Whether the OS starts the app at login; null where it cannot be set. */
  readonly loginItems: LoginItemSurface | null;
  /** The OS's preferred languages, most preferred first (`de-AT`); absent: the runtime's locale. */
  readonly systemLanguages?: readonly string[];
};

export type GlobalShortcutSurface = {
  /** Registers `accelerator`; false when the OS or another app holds it (nothing registered). */
  register(accelerator: string, onPress: () => void): boolean;
  unregister(accelerator: string): void;
};

/** The app menu (the window's menu bar on Windows and Linux, the top of the screen on macOS). */
export type AppMenuSurface = {
  set(model: HelpMenuModel): void;
  /** Calls `listener` with the Help item the person picked. */
  onAction(listener: (action: HelpAction) => void): void;
  /** Help → About: the product and its versions, in the OS's message box. */
  showAbout(about: AboutBox): void;
};

export type LoginItemSurface = {
  enabled(): boolean;
  /** Starts the app at login (minimised to the tray), or no longer. */
  set(enabled: boolean): void;
};

export type BadgeSurface = {
  /** Shows `count` on the icon; 0 clears it. */
  set(count: number): void;
};

/** The overlay icon's image (a PNG, `services/badgeImage.ts`) and what screen readers say of it. */
export type TaskbarOverlay = { readonly png: Buffer; readonly description: string };

export type TaskbarOverlaySurface = {
  /** Shows `overlay` over the taskbar button; null clears it. */
  set(overlay: TaskbarOverlay | null): void;
};

/** The icon in the tray (Windows, Linux) or the menu bar (macOS) and its menu. */
export type TraySurface = {
  set(model: TrayModel): void;
  /** Calls `listener` with the status item the person picked (the shell itself opens and quits). */
  onAction(listener: (action: TrayAction) => void): void;
};

export type PowerEvents = {
  /** Calls `listener` each time the computer wakes from sleep. */
  onResume(listener: () => void): void;
  /** Calls `listener` as the computer goes to sleep. */
  onSuspend(listener: () => void): void;
  /** Seconds since the person last touched the keyboard or mouse, as the OS counts them. */
  idleSeconds(): number;
  /** Calls `listener` with true when the screen locks, false when it unlocks. */
  onLock(listener: (locked: boolean) => void): void;
};

/** One notification on screen, until the user or the app dismisses it. */
export type ShownNotification = { close(): void };

export type NotificationSurface = {
  /** The app's window has the keyboard focus: the user is looking at the app. */
  windowFocused(): boolean;
  /** Shows a notification; `onClick` runs when the user clicks it. */
  show(notification: { readonly title: string; readonly body: string }, onClick: () => void): ShownNotification;
  /** Brings the app's window to the front (restoring it when minimised). */
  focusWindow(): void;
};

/**
 * How the OS hands the app a link: as the launch's arguments, as a second instance's arguments
 * (Windows, Linux; the single-instance lock forwards them), or as macOS's open-url (`[url]` here).
 */
export type LinkSource = {
  /** Calls `onArgv` for each arrival, first for those that came before (a link may launch the app). */
  listen(onArgv: (argv: readonly string[]) => void): void;
};

export type OverlayScene = IpcEventPayload<'overlay:scene'>;

/** One overlay window as main's overlay service sees it. */
export type OverlayWindowHandle = {
  send(scene: OverlayScene): void;
  close(): void;
};

export type OverlaySurface = {
  /** The bounds of the display a shared screen source shows; null for windows and unknown ids. */
  displayBoundsOf(sourceId: string): Promise<OverlayBounds | null>;
  /** `ready` fires once the page can take a scene; `closed` when the window is gone, whoever closed it. */
  open(bounds: OverlayBounds, events: { readonly ready: () => void; readonly closed: () => void }): OverlayWindowHandle;
};
