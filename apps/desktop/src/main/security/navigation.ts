import { isAllowedExternalLink } from './externalLinks.ts';

/**
 * Where a navigation or window.open may go. The window never leaves our UI and never opens a
 * second window: an allowlisted link goes to the OS instead, anything else nowhere.
 */
export type NavigationDecision = 'stay' | 'openExternally' | 'refuse';

export function decideNavigation(url: string, isOwnUi: (url: string) => boolean): NavigationDecision {
  if (isOwnUi(url)) return 'stay';
  return isAllowedExternalLink(url) ? 'openExternally' : 'refuse';
}

/** window.open and target=_blank: no new window ever; allowlisted links open in the OS. */
export function decideWindowOpen(url: string): Exclude<NavigationDecision, 'stay'> {
  return isAllowedExternalLink(url) ? 'openExternally' : 'refuse';
}
