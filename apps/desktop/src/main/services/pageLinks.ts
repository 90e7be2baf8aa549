import { isPageLink } from '../security/externalLinks.ts';
import { ServiceError } from './errors.ts';
import type { Session } from './session.ts';

/** A page's address without its fragment: `#tandem-field=` only says where on the page to land. */
const withoutFragment = (url: string): string => url.split('#')[0] ?? url;

/**
 * Opening the organisation's business-app pages (issue 18) in the system browser. The one
 * external-link allowlist admits only the meeting providers; a page of the company's own app is
 * opened only when the coordination server lists it for the signed-in user (someone is on it, a
 * delegation, a thread on it) or sent it itself (a delegation's notification), so a link the
 * renderer was shown elsewhere (chat) cannot use this way out.
 */
export type PageLinks = {
  /** The renderer asks: opened when the server lists the page (any fragment), else refused. */
  open(url: string): Promise<void>;
  /** A URL main took from the server's own message. */
  openListed(url: string): Promise<void>;
};

export function createPageLinks(deps: {
  readonly session: Pick<Session, 'call'>;
  readonly openExternal: (url: string) => Promise<void>;
}): PageLinks {
  async function openListed(url: string): Promise<void> {
    if (!isPageLink(url)) throw new ServiceError('forbidden', 'this link may not be opened');
    await deps.openExternal(url);
  }
  return {
    async open(url) {
      if (!isPageLink(url)) throw new ServiceError('forbidden', 'this link may not be opened');
      const [now, delegations, threads] = await Promise.all([
        deps.session.call('pagesNow'),
        deps.session.call('myDelegations'),
        deps.session.call('pageThreads'),
      ]);
      const listed = new Set(
        [...now.pages, ...delegations.toDo, ...delegations.given, ...threads.threads].map((p) =>
          withoutFragment(p.url),
        ),
      );
      if (!listed.has(withoutFragment(url))) throw new ServiceError('not_found', 'this page is not one of your pages');
      await openListed(url);
    },
    openListed,
  };
}
