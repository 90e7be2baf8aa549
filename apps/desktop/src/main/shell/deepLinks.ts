import { parseDeepLink, PRODUCT, type DeepLink } from '@tandem/shared';

/**
 * The deep link among a process's arguments: Windows and Linux pass `tandem://…` as an argument
 * to the (second) instance; macOS sends `open-url` instead.
 */
export function deepLinkFromArgv(argv: readonly string[]): DeepLink | null {
  const prefix = `${PRODUCT.protocolScheme}:`;
  for (const arg of argv) {
    if (arg.toLowerCase().startsWith(prefix)) return parseDeepLink(arg);
  }
  return null;
}

export type DeepLinkRouter = {
  /** A link arrived (argv, second instance, open-url); delivered now or once the UI is ready. */
  receive(link: DeepLink | null): void;
  /** The UI can take links now; any held back is delivered. */
  ready(deliver: (link: DeepLink) => void): void;
};

/** Holds the latest link until the renderer can act on it (a link may launch the app). */
export function createDeepLinkRouter(): DeepLinkRouter {
  let pending: DeepLink | null = null;
  let deliver: ((link: DeepLink) => void) | null = null;
  return {
    receive(link) {
      if (link === null) return;
      if (deliver === null) pending = link;
      else deliver(link);
    },
    ready(next) {
      deliver = next;
      if (pending !== null) next(pending);
      pending = null;
    },
  };
}
