import type { PageToken } from '@tandem/shared';
import { bindFields, fieldsOf } from './binding.ts';
import { PageSession, type SocketLike } from './session.ts';
import { nextTask } from './tasks.ts';
import { mountUi } from './ui.ts';

export { PageError, PageSession, type SessionEvents, type SocketFactory, type SocketLike } from './session.ts';
export { applyTextChange, bindFields, fieldsOf, labelOf } from './binding.ts';

/** What the host app's token endpoint answers: a page token and the coordination server's address. */
export type HostToken = PageToken & { readonly server: string };

export type StartOptions = {
  /** The host app's own endpoint (same origin, its session cookie) that mints a page token for this page. */
  readonly tokenEndpoint: string;
  /** Where the forms are (the whole document by default). */
  readonly root?: ParentNode;
};

const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

/** Scrolls to and focuses the field a deep link names (`#tandem-field=<name>`). */
function goToLinkedField(fields: ReadonlyMap<string, HTMLElement>): void {
  const match = /tandem-field=([^&]+)/.exec(location.hash);
  if (match?.[1] === undefined) return;
  const target = fields.get(decodeURIComponent(match[1]));
  target?.scrollIntoView({ block: 'center' });
  target?.focus();
}

/**
 * Puts the page on Tandem: fetches a page token from the host app, opens the page socket (and
 * again with a new token whenever it drops), binds the forms and shows presence, threads and
 * delegation. Answers the session at once and a function that takes it all off the page; the rest
 * is done in tasks of its own after the caller's, so the host page's load is never held up by one
 * long task: the fields are bound before the socket opens (nothing typed is missed, the first
 * sync finds them), the UI is drawn from the session's state as it stands then.
 */
export function start(options: StartOptions): { session: PageSession; stop: () => void } {
  // The DOM's WebSocket takes the SDK's frames (Uint8Array over an ArrayBuffer) as they are.
  const session = new PageSession((url) => new WebSocket(url) as unknown as SocketLike);
  const undo: (() => void)[] = [];
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function connect(): Promise<void> {
    const r = await fetch(options.tokenEndpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (!r.ok) throw new Error(`the token endpoint answered ${r.status}`);
    const t = (await r.json()) as HostToken;
    if (stopped) return;
    await session.connect(`${t.server.replace(/^http/, 'ws').replace(/\/$/, '')}${t.socketPath}`, t.token);
    attempt = 0;
  }
  const again = (): void => {
    if (stopped) return;
    const wait = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)] ?? 30_000;
    timer = setTimeout(() => void connect().catch(again), wait);
  };

  async function setUp(): Promise<void> {
    await nextTask();
    if (stopped) return;
    const fields = fieldsOf(options.root ?? document);
    undo.push(bindFields(session, fields));
    undo.push(session.on('closed', again));
    undo.push(session.on('synced', () => goToLinkedField(fields)));
    const onHash = (): void => goToLinkedField(fields);
    window.addEventListener('hashchange', onHash);
    undo.push(() => window.removeEventListener('hashchange', onHash));
    void connect().catch(again);
    await nextTask();
    if (stopped) return;
    undo.push(mountUi(session, fields));
  }
  void setUp();
  return {
    session,
    stop() {
      stopped = true;
      clearTimeout(timer);
      for (const u of undo.splice(0).reverse()) u();
      session.close();
    },
  };
}
