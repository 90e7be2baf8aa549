import type { RefObject } from 'react';
import { Icon } from './Icon.tsx';
import { useMenuButton } from './useMenuButton.ts';
import './actionsMenu.css';

export type MenuAction = { readonly label: string; run(): void };

/**
 * Actions on one thing (a message, a meeting) as a menu button (WAI-ARIA menu button pattern): Enter, Space or the
 * arrow keys open it on the first or last item; arrows, Home and End move; Escape closes it and
 * returns to the button; Tab or a click elsewhere closes it.
 */
export function ActionsMenu({
  label,
  actions,
  button,
}: {
  readonly label: string;
  readonly actions: readonly MenuAction[];
  /** The menu button, for the owner to return focus to when an action is done. */
  readonly button: RefObject<HTMLButtonElement | null>;
}) {
  const { open, close, containerProps, buttonProps, menuProps } = useMenuButton<HTMLUListElement>(button);

  return (
    <div className="actions-menu" {...containerProps}>
      <button type="button" className="actions-menu-button" aria-label={label} {...buttonProps}>
        <Icon name="more" size={18} />
      </button>
      {open ? (
        <ul aria-label={label} className="actions-menu-list" {...menuProps}>
          {actions.map((action) => (
            <li key={action.label} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => {
                  close(false);
                  action.run();
                }}
              >
                {action.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
