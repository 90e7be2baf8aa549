import { DEFAULT_SETTINGS } from '@tandem/shared';

/**
 * Push to talk while the call's window has the focus: holding its key (Space unless Settings
 * chose another; `pushToTalkKeyProblem` in packages/shared says which may not be) unmutes a muted
 * microphone, letting go mutes it again (Zoom's "hold Space to talk"). Only in the window: Electron's global
 * shortcuts report a press and never a release, so holding a key cannot be seen while another app
 * is in front. A microphone that was already on is left alone, and typing (text fields) is not
 * talking.
 */

/** What push to talk needs of a key event: the key, whether it auto-repeats, and where it was typed. */
export type KeyLike = {
  readonly code: string;
  readonly repeat: boolean;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  /** Whether the key went to a place one types into (input, textarea, select, contenteditable). */
  readonly typing: boolean;
};

export type PushToTalk = {
  /** True when the event was push to talk's (the caller prevents its default, such as a focused button's click). */
  down(key: KeyLike): boolean;
  up(key: KeyLike): boolean;
  /** The window lost the focus while the key was held: its release will never come, so mute now. */
  release(): void;
};

export function createPushToTalk(
  microphone: {
    readonly enabled: () => boolean;
    readonly set: (enabled: boolean) => Promise<unknown>;
    readonly onError: (error: unknown) => void;
  },
  /** The key's `KeyboardEvent.code` (settings' `pushToTalkKey`). */
  code = DEFAULT_SETTINGS.pushToTalkKey,
): PushToTalk {
  // Held: this press unmuted the microphone, so its release mutes it.
  let held = false;
  const ours = (key: KeyLike) =>
    key.code === code && !key.typing && !key.altKey && !key.ctrlKey && !key.metaKey && !key.shiftKey;
  const mute = () => {
    held = false;
    microphone.set(false).catch(microphone.onError);
  };
  return {
    down(key) {
      if (!ours(key)) return false;
      if (!key.repeat && !held && !microphone.enabled()) {
        held = true;
        microphone.set(true).catch(microphone.onError);
      }
      return true;
    },
    up(key) {
      if (!ours(key)) return false;
      if (held) mute();
      return true;
    },
    release() {
      if (held) mute();
    },
  };
}
