import type { LinkSource } from './types.ts';

export type LinkInbox = LinkSource & {
  /** The OS handed over these arguments (open-url's URL as `[url]`). */
  deliver(argv: readonly string[]): void;
};

/** Keeps what arrives before main listens (the launch's own argv, an early open-url), then passes on live. */
export function createLinkInbox(): LinkInbox {
  const early: (readonly string[])[] = [];
  let listener: ((argv: readonly string[]) => void) | null = null;
  return {
    deliver(argv) {
      if (listener === null) early.push(argv);
      else listener(argv);
    },
    listen(onArgv) {
      listener = onArgv;
      for (const argv of early.splice(0)) onArgv(argv);
    },
  };
}
