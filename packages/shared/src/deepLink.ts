import { PRODUCT } from './product.ts';

/** What a `tandem://…` link asks the app to do. One kind today; the union grows with the app. */
export type DeepLink = { readonly kind: 'join'; readonly code: string };

/** Join codes are short and URL-safe; anything else is refused before it reaches the server. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/;

/**
 * Parses `tandem://join/<code>` (also `tandem:join/<code>` and a trailing slash, query or
 * fragment, which OS launchers add). Anything else, including other schemes, is null.
 * Pure string work: shared has no `URL` global in every process.
 */
export function parseDeepLink(link: string): DeepLink | null {
  const match = /^([a-z][a-z0-9+.-]*):(?:\/\/)?join\/([^/?#]+)\/?(?:[?#].*)?$/i.exec(link.trim());
  if (match === null || match[1]?.toLowerCase() !== PRODUCT.protocolScheme) return null;
  const code = safeDecode(match[2] ?? '');
  return code !== null && CODE.test(code) ? { kind: 'join', code } : null;
}

/**
 * The join code in what a user typed or pasted: a bare code, a `tandem://join/<code>` link, or
 * an http(s) link whose path ends in `/join/<code>`.
 */
export function joinCodeFrom(input: string): string | null {
  const text = input.trim();
  if (CODE.test(text)) return text;
  const deepLink = parseDeepLink(text);
  if (deepLink !== null) return deepLink.code;
  const web = /^https?:\/\/[^/?#]+(?:\/[^?#]*)?\/(?:join|j)\/([^/?#]+)\/?(?:[?#].*)?$/i.exec(text);
  const code = web === null ? null : safeDecode(web[1] ?? '');
  return code !== null && CODE.test(code) ? code : null;
}

/** How much of a link the app shows back when it refuses one (a link can be any length). */
export const DEEP_LINK_SHOWN_LENGTH = 200;

/** A refused link as the app may show it: trimmed, control characters replaced, cut to length. */
export function shownLink(link: string): string {
  const text = link.trim().replace(/\p{Cc}/gu, '\uFFFD');
  return text.length <= DEEP_LINK_SHOWN_LENGTH ? text : `${text.slice(0, DEEP_LINK_SHOWN_LENGTH - 1)}…`;
}

export function joinDeepLink(code: string): string {
  return `${PRODUCT.protocolScheme}://join/${encodeURIComponent(code)}`;
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
