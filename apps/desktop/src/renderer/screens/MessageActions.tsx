import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { Icon } from '../ui/Icon.tsx';

export type MessageAction = { readonly label: string; run(): void };

const itemsOf = (menu: HTMLUListElement | null): HTMLButtonElement[] => [
  ...(menu?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []),
];

/**
 * A message's actions as a menu button (WAI-ARIA menu button pattern): Enter, Space or the
 * arrow keys open it on the first or last item; arrows, Home and End move; Escape closes it and
 * returns to the button; Tab or a click elsewhere closes it.
 */
export function MessageActions({
  label,
  actions,
  button,
}: {
  readonly label: string;
  readonly actions: readonly MessageAction[];
  /** The menu button, for the message to return focus to when an action is done. */
  readonly button: RefObject<HTMLButtonElement | null>;
}) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const menuId = useId();
  const menu = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (open === false) return;
    const all = itemsOf(menu.current);
    (open === 'first' ? all[0] : all.at(-1))?.focus();
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const all = itemsOf(menu.current);
    const at = all.findIndex((item) => item === document.activeElement);
    const focus = (index: number) => all[(index + all.length) % all.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        focus(at + 1);
        break;
      case 'ArrowUp':
        focus(at - 1);
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(all.length - 1);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div
      className="message-actions"
      onBlur={(e) => {
        if (open !== false && !e.currentTarget.contains(e.relatedTarget)) close(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="message-actions-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open !== false}
        aria-controls={open === false ? undefined : menuId}
        onClick={() => setOpen(open === false ? 'first' : false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            setOpen(e.key === 'ArrowDown' ? 'first' : 'last');
          }
        }}
      >
        <Icon name="more" size={18} />
      </button>
      {open === false ? null : (
        <ul
          id={menuId}
          role="menu"
          aria-label={label}
          className="message-actions-menu"
          ref={menu}
          onKeyDown={onMenuKey}
        >
          {actions.map((action) => (
            <li key={action.label} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => {
                  setOpen(false);
                  action.run();
                }}
              >
                {action.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
