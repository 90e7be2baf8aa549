import {
  AcceleratorSchema,
  SHORTCUT_ACTIONS,
  type IpcEvent,
  type IpcEventPayload,
  type IpcResponse,
  type Settings,
  type ShortcutAction,
} from '@tandem/shared';
import type { GlobalShortcutSurface } from '../platform/types.ts';

export type ShortcutConflict = IpcResponse<'shortcuts:status'>['conflicts'][number];

export type GlobalShortcuts = {
  /** Registers what the settings ask for (none when turned off, by the user or IT), replacing what was. */
  apply(settings: Pick<Settings, 'globalShortcuts' | 'shortcuts'>): void;
  /** The shortcuts that could not be registered as set, and why. */
  conflicts(): readonly ShortcutConflict[];
  stop(): void;
};

/**
 * Global shortcuts (they work while another app has the focus): toggle mute and the camera in
 * the current call, as Teams' Ctrl+Shift+M and Ctrl+Shift+O. A press goes to the renderer as
 * `shell:command`; the call there acts on it (nothing happens outside a call). A combination
 * another app holds, one set for two actions, or one that is not an accelerator is reported,
 * never silently dropped. Push-to-talk needs the key's release, which the OS's global shortcuts
 * do not report: it is not offered.
 */
export function createGlobalShortcuts(deps: {
  readonly surface: GlobalShortcutSurface;
  readonly emit: <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;
}): GlobalShortcuts {
  let registered: string[] = [];
  let conflicts: ShortcutConflict[] = [];

  function clear(): void {
    for (const accelerator of registered) deps.surface.unregister(accelerator);
    registered = [];
    conflicts = [];
  }

  return {
    apply(settings) {
      clear();
      if (!settings.globalShortcuts) return;
      const taken = new Map<string, ShortcutAction>();
      for (const action of SHORTCUT_ACTIONS) {
        const accelerator = settings.shortcuts[action];
        if (accelerator === null) continue;
        if (!AcceleratorSchema.safeParse(accelerator).success) {
          conflicts.push({ action, accelerator, reason: 'invalid' });
          continue;
        }
        // The OS compares combinations case-insensitively.
        const key = accelerator.toLowerCase();
        if (taken.has(key)) {
          conflicts.push({ action, accelerator, reason: 'duplicate' });
          continue;
        }
        taken.set(key, action);
        if (deps.surface.register(accelerator, () => deps.emit('shell:command', { command: action })))
          registered.push(accelerator);
        else conflicts.push({ action, accelerator, reason: 'taken' });
      }
    },
    conflicts: () => conflicts,
    stop: clear,
  };
}
