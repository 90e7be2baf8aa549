import { useEffect } from 'react';

/**
 * After a screen change, moves focus to the new screen's heading and names the window after it.
 * Without this, focus stays on a button that no longer exists and lands on <body>, so keyboard
 * and screen-reader users lose their place and hear nothing about where they are.
 */
export function usePageFocus(pageKey: string, appName: string): void {
  useEffect(() => {
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading === null) return;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    const title = heading.textContent?.trim() ?? '';
    document.title = title === '' ? appName : `${title} – ${appName}`;
  }, [pageKey, appName]);
}
