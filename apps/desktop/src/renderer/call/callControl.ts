import type { IconName } from '../ui/Icon.tsx';

/** A control that opens a small dialog beside it rather than acting at once. */
export type ControlPopover = 'devices' | 'reactions' | 'effects';

/**
 * One control of the call's control bar, as data: the bar draws it as a button, the "More" menu
 * as a menu item, from the same record, so both say and do the same thing.
 */
export type CallControl<Id extends string = string> = {
  readonly id: Id;
  readonly label: string;
  readonly icon: IconName;
  /** A toggle's state (aria-pressed on a button, aria-checked on a menu item). */
  readonly pressed?: boolean;
  readonly busy?: boolean;
  readonly danger?: boolean;
  /** A count shown on the control (unread messages); 0 shows nothing. */
  readonly badge?: number;
  /** Keys as aria-keyshortcuts spells them, e.g. `Control+D`. */
  readonly shortcut?: string;
  /** Why the control cannot be used here; it is disabled and says so. */
  readonly unavailable?: string;
  /** The tooltip, when it says more than the label (the place in the hand queue). */
  readonly title?: string;
  readonly popover?: ControlPopover;
  readonly onClick: () => void;
};

/** The tooltip: why it is unavailable, else its own title, else the label and its shortcut. */
export function controlTitle(control: CallControl): string {
  const { unavailable, title, label, shortcut } = control;
  return unavailable ?? title ?? (shortcut === undefined ? label : `${label} (${shortcut.replace('Control', 'Ctrl')})`);
}
