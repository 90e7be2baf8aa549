/**
 * Which coordination servers the app signs in to. Tokens and everything the user reads travel
 * over this connection, so it must be https; plain http only reaches a server on this computer
 * (loopback), which is what development and the tests run.
 */

export type ServerUrlCheck =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly message: string };

/** localhost, 127.0.0.0/8 and ::1: names and addresses that never leave this computer. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export function checkServerUrl(raw: string): ServerUrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: 'Enter the server address, for example https://tandem.example.com' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: 'The server address must start with https://' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'The server address must not contain a user name or password' };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      ok: false,
      message: `Plain http is not secure: use https://${url.host}${url.pathname === '/' ? '' : url.pathname} (http is only for a server on this computer)`,
    };
  }
  return { ok: true, url: url.origin + url.pathname.replace(/\/+$/, '') };
}
