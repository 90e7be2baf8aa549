import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent, type RefObject } from 'react';

const itemsOf = (menu: HTMLElement | null): HTMLElement[] => [
  ...(menu?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? []),
];

/**
 * The WAI-ARIA menu button pattern, for any menu: Enter, Space or the arrow keys open it on the
 * first or last item; arrows, Home and End move; Escape closes it and returns to the button; Tab
 * or a click elsewhere closes it. Items are the menu's `menuitem`, `menuitemcheckbox` and
 * `menuitemradio` elements, each with `tabIndex={-1}`.
 */
export function useMenuButton<M extends HTMLElement>(button: RefObject<HTMLButtonElement | null>) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const menuId = useId();
  const menu = useRef<M>(null);

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

  return {
    open: open !== false,
    close,
    /** On the element holding both the button and the menu: leaving it closes the menu. */
    containerProps: {
      onBlur: (e: FocusEvent) => {
        if (open !== false && !e.currentTarget.contains(e.relatedTarget)) close(false);
      },
    },
    buttonProps: {
      ref: button,
      'aria-haspopup': 'menu',
      'aria-expanded': open !== false,
      'aria-controls': open === false ? undefined : menuId,
      onClick: () => setOpen(open === false ? 'first' : false),
      onKeyDown: (e: KeyboardEvent) => {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          setOpen(e.key === 'ArrowDown' ? 'first' : 'last');
        }
      },
    },
    menuProps: { id: menuId, role: 'menu', ref: menu, onKeyDown: onMenuKey },
  } as const;
}
