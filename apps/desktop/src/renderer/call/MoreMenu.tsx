import type { RefObject } from 'react';
import { useT } from '../i18n/useT.ts';
import { Icon } from '../ui/Icon.tsx';
import { useMenuButton } from '../ui/useMenuButton.ts';
import { controlTitle, type CallControl, type ControlPopover } from './callControl.ts';

export function Badge({ count }: { readonly count: number }) {
  const t = useT();
  return count > 0 ? (
    <span className="badge" aria-label={t('call.unread', { count })}>
      {count > 99 ? '99+' : count}
    </span>
  ) : null;
}

/**
 * The controls that do not fit the bar, behind one menu button (WAI-ARIA menu button). Each item
 * keeps its control's name, state (a toggle is a `menuitemcheckbox`) and shortcut; the button
 * carries the items' unread counts, so a badge never disappears into the menu.
 */
export function MoreMenu({
  controls,
  openPopover,
  button,
}: {
  readonly controls: readonly CallControl[];
  readonly openPopover: ControlPopover | null;
  /** The menu button, for a popover opened from the menu to return focus to. */
  readonly button: RefObject<HTMLButtonElement | null>;
}) {
  const { open, close, containerProps, buttonProps, menuProps } = useMenuButton<HTMLUListElement>(button);
  const t = useT();
  const unread = controls.reduce((sum, c) => sum + (c.badge ?? 0), 0);
  return (
    <div className="more" {...containerProps}>
      <button type="button" className="control" title={t('call.more.label')} {...buttonProps}>
        <Icon name="more" />
        <span className="control-label">{t('call.more')}</span>
        <Badge count={unread} />
      </button>
      {open ? (
        <ul className="more-menu" aria-label={t('call.more.label')} {...menuProps}>
          {controls.map((control) => {
            const disabled = control.busy === true || control.unavailable !== undefined;
            return (
              <li key={control.id} role="none">
                <button
                  type="button"
                  role={control.pressed === undefined ? 'menuitem' : 'menuitemcheckbox'}
                  aria-checked={control.pressed}
                  aria-haspopup={control.popover === undefined ? undefined : 'dialog'}
                  aria-expanded={control.popover === undefined ? undefined : openPopover === control.popover}
                  aria-keyshortcuts={control.shortcut}
                  aria-disabled={disabled || undefined}
                  className="more-item"
                  title={controlTitle(control)}
                  tabIndex={-1}
                  onClick={() => {
                    if (disabled) return;
                    close(true);
                    control.onClick();
                  }}
                >
                  <Icon name={control.icon} />
                  <span>{control.label}</span>
                  <Badge count={control.badge ?? 0} />
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
