import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';

/**
 * Why a key cannot be the push-to-talk key (a `KeyboardEvent.code`), or null when it can. Push
 * to talk takes a bare key held down anywhere in the call's window, so it may not be one that
 * types, moves the focus, or that the app already answers:
 * - `typing`: letters, digits, punctuation, Enter, Backspace, Delete, the number pad;
 * - `navigation`: Tab, the arrows, Home, End, Page Up/Down (menus, tabs, lists, the people picker);
 * - `escape`: Escape closes dialogs, panels and the drawing tools (and cancels choosing the key);
 * - `fullScreen`: F11, the window's View → Full screen;
 * - `modifier`: Shift, Ctrl, Alt, ⌘, which the app's shortcuts combine with other keys;
 * - `other`: anything else (media keys, IME keys, unknown codes).
 */
export type PushToTalkKeyProblem = 'typing' | 'navigation' | 'escape' | 'fullScreen' | 'modifier' | 'other';

/** The keys push to talk can use: Space (the default, as Zoom), the function keys but F11, and a few spare ones. */
const FREE = /^(Space|F([1-9]|10|1[2-9]|2[0-4])|Insert|Pause|ScrollLock)$/;

export function pushToTalkKeyProblem(code: string): PushToTalkKeyProblem | null {
  if (FREE.test(code)) return null;
  if (code === 'Escape') return 'escape';
  if (code === 'F11') return 'fullScreen';
  if (/^(Shift|Control|Alt|Meta|OS)(Left|Right)$|^(CapsLock|Fn|FnLock|AltGraph)$/.test(code)) return 'modifier';
  if (/^(Tab|Arrow(Up|Down|Left|Right)|Home|End|PageUp|PageDown)$/.test(code)) return 'navigation';
  if (
    /^(Key[A-Z]|Digit[0-9]|Numpad.+|Backquote|Minus|Equal|Bracket(Left|Right)|Backslash|IntlBackslash|IntlRo|IntlYen|Semicolon|Quote|Comma|Period|Slash|Enter|Backspace|Delete)$/.test(
      code,
    )
  )
    return 'typing';
  return 'other';
}

/** The push-to-talk key as settings keep it: a `KeyboardEvent.code` the rule above admits. */
export const PushToTalkKeySchema = lazySchema(() =>
  z
    .string()
    .max(40)
    .refine((code) => pushToTalkKeyProblem(code) === null, { message: 'not a key push to talk can use' }),
);
