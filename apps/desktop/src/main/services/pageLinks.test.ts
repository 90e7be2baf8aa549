import { CodedError, type PageDelegation, type PageThread, type RouteName } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { createPageLinks } from './pageLinks.ts';

const ORDER = 'https://erp.acme.example/purchaseorderview/edit/1';
const INVOICE = 'https://erp.acme.example/invoiceview/show/9';
const SUPPLIER = 'https://erp.acme.example/supplierview/show/3';

/** The server's answers for the signed-in user, as its routes give them (only the fields read here). */
function setup() {
  const answers: Partial<Record<RouteName, unknown>> = {
    pagesNow: { pages: [{ url: ORDER, title: 'PO-1001', viewers: [] }] },
    myDelegations: { toDo: [{ url: INVOICE } as PageDelegation], given: [] },
    pageThreads: { threads: [{ url: SUPPLIER } as PageThread] },
  };
  const opened: string[] = [];
  const links = createPageLinks({
    // Each route's answer is the fixture above, typed as the route's response by the caller.
    session: { call: (async (name: RouteName) => answers[name]) as never },
    openExternal: async (url) => void opened.push(url),
  });
  return { links, opened };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'opened',
    (e: unknown) => (e instanceof CodedError ? e.code : 'other'),
  );

describe('createPageLinks', () => {
  it('opens a page the server lists for the user (on it now, delegated, a thread), at a field too', async () => {
    const { links, opened } = setup();
    await links.open(`${ORDER}#tandem-field=amount`);
    await links.open(INVOICE);
    await links.open(`${SUPPLIER}#tandem-field=name`);
    expect(opened).toEqual([`${ORDER}#tandem-field=amount`, INVOICE, `${SUPPLIER}#tandem-field=name`]);
  });

  it('refuses a page the server does not list and any other link, opening nothing', async () => {
    const { links, opened } = setup();
    expect(await codeOf(links.open('https://erp.acme.example/userview/list'))).toBe('not_found');
    expect(await codeOf(links.open(`${ORDER}?extra=1`))).toBe('not_found');
    expect(await codeOf(links.open('file:///etc/passwd'))).toBe('forbidden');
    expect(await codeOf(links.openListed('javascript:alert(1)'))).toBe('forbidden');
    expect(opened).toEqual([]);
  });
});
