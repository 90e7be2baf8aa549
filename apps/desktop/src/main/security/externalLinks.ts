/**
 * The one gate for links leaving the app for the OS (browser or another app). Anything not
 * admitted here is refused: the renderer may be shown links from chat, and a link is an attack
 * surface (file:, smb:, javascript:, custom handlers of unknown apps).
 */

/** Native clients of the meeting providers we link to. Google Meet has none: it opens in the browser. */
const NATIVE_SCHEMES: readonly string[] = ['msteams:', 'zoommtg:', 'zoomus:'];

/** https hosts admitted, with their subdomains (`acme.zoom.us`). */
const HTTPS_DOMAINS: readonly string[] = [
  'teams.microsoft.com',
  'teams.live.com',
  // US government clouds (gov., dod.), which the shared link recogniser accepts too.
  'teams.microsoft.us',
  'zoom.us',
  'zoom.com',
  'zoomgov.com',
  'meet.google.com',
  // Where connecting a provider account signs in (the OAuth consent pages).
  'login.microsoftonline.com',
  'accounts.google.com',
];

/** The link as a URL, or null when it is none or carries credentials (`https://user:pw@…`). */
function parsedLink(link: string): URL | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  return url.username === '' && url.password === '' ? url : null;
}

export function isAllowedExternalLink(link: string): boolean {
  const url = parsedLink(link);
  if (url === null) return false;
  if (NATIVE_SCHEMES.includes(url.protocol)) return true;
  if (url.protocol !== 'https:' || url.port !== '') return false;
  const host = url.hostname.toLowerCase();
  return HTTPS_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '[::1]', 'localhost'];

/**
 * The organisation's identity provider's sign-in page, as the coordination server answered it for
 * single sign-on: any https page (each organisation has its own provider), or http on this
 * machine's loopback (a provider run locally). Never credentials in the URL, never another scheme.
 */
export function isSignInPageLink(link: string): boolean {
  const url = parsedLink(link);
  if (url === null) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
}

/**
 * A page of the organisation's own business apps (issue 18), as the coordination server listed it:
 * http or https (such apps often live on an intranet), never credentials in the URL, never another
 * scheme. Only for URLs main took from the server, never for links out of chat.
 */
export function isPageLink(link: string): boolean {
  const url = parsedLink(link);
  if (url === null) return false;
  return url.protocol === 'https:' || url.protocol === 'http:';
}
