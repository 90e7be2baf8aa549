/**
 * Our own UI's origins: the packaged renderer's `app://tandem`, and the dev server or the test
 * harness page when one is named. IPC requests and permissions are granted only to these.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tandem';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** `scheme://host[:port]` of a URL; custom schemes have no WHATWG origin, so it is built by hand. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export type OriginCheck = (url: string) => boolean;

export function ownUiOrigins(extra: readonly string[] = []): OriginCheck {
  const allowed = new Set([APP_ORIGIN, ...extra.map((o) => originOf(o) ?? o)]);
  return (url) => {
    const origin = originOf(url);
    return origin !== null && allowed.has(origin);
  };
}
