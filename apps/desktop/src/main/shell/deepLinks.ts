import { parseDeepLink, PRODUCT, shownLink, type DeepLink, type IpcResponse } from '@tandem/shared';
import type { Emit } from '../services/events.ts';

/** A `tandem:` link the OS handed over: one the app acts on, or one it refuses (shown back as text). */
export type LinkArrival =
  { readonly kind: 'link'; readonly link: DeepLink } | { readonly kind: 'refused'; readonly link: string };

/**
 * The `tandem:` link among a process's arguments, or null when there is none (a plain launch).
 * Windows and Linux pass `tandem://…` as an argument to the (second) instance; macOS sends
 * `open-url` instead, which arrives here as `[url]`.
 */
export function deepLinkFromArgv(argv: readonly string[]): LinkArrival | null {
  const prefix = `${PRODUCT.protocolScheme}:`;
  const arg = argv.find((a) => a.trim().toLowerCase().startsWith(prefix));
  if (arg === undefined) return null;
  const link = parseDeepLink(arg);
  return link === null ? { kind: 'refused', link: shownLink(arg) } : { kind: 'link', link };
}

export type DeepLinkRouter = {
  /** What the OS handed over: a launch's or a second instance's argv, or open-url's URL as `[url]`. */
  receive(argv: readonly string[]): void;
  /** The renderer listens from now on (`deepLink:take`): answers what it could not be given before. */
  take(): IpcResponse<'deepLink:take'>;
};

/**
 * Routes links to the renderer. Until the renderer first takes, everything is held (a link may
 * launch the app). A join is acted on only while someone is signed in: otherwise it is held and
 * the renderer takes it after sign-in. The newest link of each kind wins; a refused link never
 * displaces a held join ("changes nothing").
 */
export function createDeepLinkRouter(deps: { readonly signedIn: () => boolean; readonly emit: Emit }): DeepLinkRouter {
  let listening = false;
  let join: DeepLink | null = null;
  let refused: string | null = null;
  return {
    receive(argv) {
      const arrival = deepLinkFromArgv(argv);
      if (arrival === null) return;
      if (arrival.kind === 'refused') {
        if (listening) deps.emit('deepLink:refused', { link: arrival.link });
        else refused = arrival.link;
      } else if (listening && deps.signedIn()) {
        join = null;
        deps.emit('deepLink:join', { code: arrival.link.code });
      } else {
        join = arrival.link;
      }
    },
    take() {
      listening = true;
      const answer = {
        join: join !== null && deps.signedIn() ? { code: join.code } : null,
        refused: refused === null ? null : { link: refused },
      };
      if (answer.join !== null) join = null;
      refused = null;
      return answer;
    },
  };
}
