import { randomUUID } from 'node:crypto';
import {
  LIMITS,
  PAGE_DOC,
  PAGE_FRAME,
  PAGE_WS_PATH,
  type AuthSession,
  type PageKey,
  type PageServerMessage,
  type PageToken,
} from '@tandem/shared';
import { PageError, PageSession, type SocketLike } from '@tandem/page-sdk/session';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { localCluster } from './cluster/cluster.ts';
import { pageRelay } from './cluster/pageRelay.ts';
import { openPage } from './pageTestSupport.ts';
import { pageRooms } from './services/pageRooms.ts';
import { openStore } from './store/index.ts';
import {
  addPerson,
  connectWs,
  drained,
  signUp,
  startTestServer,
  type TestServer,
  type WsClient,
  UUIDV7,
} from './testSupport.ts';

/**
 * Issue 18 over real HTTP and WebSockets: page tokens minted with an API key, the page socket
 * (Yjs sync and awareness from the page SDK's own session code, `ws` as its WebSocket), field
 * delegation with its lock and the verify API, threads as real conversations, and the scoping of
 * all of it to the organisation.
 */

const livekit = inject('livekit');

const PO: PageKey = { app: 'procurement', view: 'PurchaseOrderView', recordId: '42' };
const PO_URL = 'http://127.0.0.1:5000/purchaseorderview/edit/42';

/** Resolves when `check` holds, polling briefly (what another socket sees arrives a little later). */
async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const fieldText = (s: PageSession, field: string): string => {
  const v = s.fields.get(field);
  return v instanceof Y.Text ? v.toString() : String(v);
};

describe('pages: tokens, presence, co-editing, delegation and threads', () => {
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let guest: AuthSession;
  let mallory: AuthSession;
  let pagesKey: string;
  let chatKey: string;
  let malloryKey: string;
  const sessions: PageSession[] = [];
  const sockets: WsClient[] = [];

  const createKey = async (owner: AuthSession, scopes: string[]): Promise<string> =>
    (
      await server.api.ok('createApiKey', {
        token: owner.tokens.accessToken,
        body: { name: `page host ${scopes.join(' ')}`, scopes },
      })
    ).key;

  const mint = (bearer: string, body: unknown) =>
    server.api.raw('POST', '/pages/tokens', {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    });

  async function onPage(key: string, who: AuthSession, page: PageKey = PO): Promise<PageSession> {
    const s = await openPage(server, key, { page, url: PO_URL, title: 'Purchase order 42' }, who.user.email);
    sessions.push(s);
    return s;
  }

  const verify = async (key: string, email: string, fields: string[]) => {
    const r = await server.api.raw('POST', '/pages/verify', {
      body: JSON.stringify({ person: { email }, page: PO, fields }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    });
    expect(r.status).toBe(200);
    return (await r.json()) as { allowed: boolean; refused: { field: string }[] };
  };

  beforeAll(async () => {
    server = await startTestServer(livekit);
    ada = await signUp(server.api, 'Ada');
    grace = await addPerson(server.api, ada, 'Grace', 'member');
    guest = await addPerson(server.api, ada, 'Guest', 'guest');
    mallory = await signUp(server.api, 'Mallory');
    pagesKey = await createKey(ada, ['pages:write']);
    chatKey = await createKey(ada, ['chat:read']);
    malloryKey = await createKey(mallory, ['pages:write']);
  });

  afterAll(async () => {
    for (const s of sessions) s.close();
    for (const c of sockets) c.close();
    await server.close();
  });

  it('mints page tokens only with an API key holding pages:write, for an active person of its organisation', async () => {
    const good = await mint(pagesKey, {
      person: { email: grace.user.email.toUpperCase() },
      page: PO,
      url: PO_URL,
      title: 'Purchase order 42',
    });
    expect(good.status).toBe(201);
    const token = (await good.json()) as PageToken;
    expect(token).toMatchObject({ socketPath: PAGE_WS_PATH, userId: grace.user.id });
    expect(Date.parse(token.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);

    const body = { person: { email: grace.user.email }, page: PO, url: PO_URL, title: 'PO' };
    // A person's own session does not mint tokens for others.
    expect((await mint(ada.tokens.accessToken, body)).status).toBe(403);
    const unscoped = await mint(chatKey, body);
    expect(unscoped.status).toBe(403);
    expect(((await unscoped.json()) as { error: { code: string } }).error.code).toBe('insufficient_scope');
    // Another organisation's key does not know Grace; guests and unknown people are nobody either.
    expect((await mint(malloryKey, body)).status).toBe(404);
    expect((await mint(pagesKey, { ...body, person: { email: guest.user.email } })).status).toBe(404);
    expect((await mint(pagesKey, { ...body, person: { email: 'nobody@tandem.example' } })).status).toBe(404);
    expect((await mint(pagesKey, { ...body, url: 'javascript:alert(1)' })).status).toBe(400);
    expect((await mint(pagesKey, { ...body, page: { ...PO, recordId: '' } })).status).toBe(400);
  });

  it('refuses a page socket without a valid token', async () => {
    const s = new PageSession((url) => new WebSocket(url) as unknown as SocketLike);
    sessions.push(s);
    const closed = new Promise<number>((resolve) => s.on('closed', ({ code }) => resolve(code)));
    await expect(
      s.connect(`${server.url.replace(/^http/, 'ws')}${PAGE_WS_PATH}`, 'not-a-token'),
    ).rejects.toBeInstanceOf(PageError);
    expect(await closed).toBe(4401);
  });

  it('closes a page socket that sends an oversized frame (1009), and the next socket is served', async () => {
    const url = `${server.url.replace(/^http/, 'ws')}${PAGE_WS_PATH}`;
    const big = new WebSocket(url);
    const closed = new Promise<number>((resolve) => big.on('close', (code) => resolve(code)));
    await new Promise((resolve) => big.once('open', resolve));
    big.send('x'.repeat(LIMITS.wsMessageBytes + 1));
    expect(await closed).toBe(1009);
    const s = new PageSession((u) => new WebSocket(u) as unknown as SocketLike);
    sessions.push(s);
    await expect(s.connect(url, 'not-a-token')).rejects.toBeInstanceOf(PageError);
  });

  it('shows who is on the page and in which field, named by the server; other organisations see nothing of it', async () => {
    const a = await onPage(pagesKey, ada);
    const g = await onPage(pagesKey, grace);
    const m = await onPage(malloryKey, mallory);
    // The roster follows the sync (it reads everyone's status first): waited for, like the others'.
    await until(() => a.roster.length === 2 && g.roster.length === 2 && m.roster.length === 1, 'the rosters');
    expect(new Set(g.roster.map((v) => v.name))).toEqual(new Set(['Ada', 'Grace']));
    expect(m.roster.map((v) => v.name)).toEqual(['Mallory']);

    // Grace claims to be Ada in her awareness state: the roster still names her by her token.
    g.awareness.setLocalState({ field: 'amount', idle: false, name: 'Ada' });
    await until(() => a.awareness.getStates().get(g.doc.clientID)?.['field'] === 'amount', "Grace's field at Ada's");
    expect(a.roster.find((v) => v.clientId === g.doc.clientID)?.name).toBe('Grace');
    expect(m.awareness.getStates().has(g.doc.clientID)).toBe(false);

    const now = await server.api.ok('pagesNow', { token: ada.tokens.accessToken });
    const po = now.pages.find((p) => p.url === PO_URL);
    expect(po?.viewers.find((v) => v.userId === grace.user.id)).toMatchObject({ field: 'amount', idle: false });
    expect(
      (await server.api.ok('pagesNow', { token: mallory.tokens.accessToken })).pages[0]?.viewers.map((v) => v.name),
    ).toEqual(['Mallory']);
    expect((await server.api.call('pagesNow', { token: guest.tokens.accessToken })).status).toBe(403);

    // Leaving takes the person off everyone's page.
    m.close();
    g.close();
    await until(() => a.roster.length === 1 && !a.awareness.getStates().has(g.doc.clientID), 'Grace gone');
    a.close();
  });

  it('tells the organisation’s desktops when who is on a page or in which field changes, not when a cursor moves', async () => {
    const desktop = await connectWs(server.url, ada.tokens.accessToken);
    const outsider = await connectWs(server.url, (await signUp(server.api, 'Outsider')).tokens.accessToken);
    sockets.push(desktop, outsider);
    const changes = () => desktop.received.filter((m) => m.type === 'pages.changed').length;
    const g = await onPage(pagesKey, grace);
    await until(() => changes() === 1, 'pages.changed for Grace arriving');
    g.awareness.setLocalState({ field: 'supplier', idle: false, cursor: null });
    await until(() => changes() === 2, 'pages.changed for Grace in Supplier');
    // Her cursor moves: nothing for the Pages view to read again.
    for (const x of [10, 20, 30]) g.awareness.setLocalState({ field: 'supplier', idle: false, cursor: { x, y: 5 } });
    await new Promise((r) => setTimeout(r, 1200));
    expect(changes()).toBe(2);
    g.close();
    await until(() => changes() === 3, 'pages.changed for Grace leaving');
    await drained(outsider);
    expect(outsider.received.filter((m) => m.type === 'pages.changed')).toEqual([]);
  });

  it('shows a change of someone’s status on the pages they are on at once', async () => {
    // Grace has the desktop app open too: what she sets there shows on the page.
    sockets.push(await connectWs(server.url, grace.tokens.accessToken));
    const a = await onPage(pagesKey, ada);
    const g = await onPage(pagesKey, grace);
    const graceOn = () => a.roster.find((v) => v.userId === grace.user.id)?.status;
    await until(() => graceOn() === 'online', 'Grace online on Ada’s page');
    await server.api.ok('setPresence', { token: grace.tokens.accessToken, body: { chosen: 'dnd' } });
    await until(() => graceOn() === 'dnd', 'Grace on do not disturb on Ada’s page');
    await server.api.ok('setPresence', { token: grace.tokens.accessToken, body: { chosen: 'available' } });
    await until(() => graceOn() === 'online', 'Grace online again on Ada’s page');
    g.close();
    a.close();
  });

  it('sends a change made while the server’s change is applied (an observer writing)', async () => {
    const a = await onPage(pagesKey, ada);
    const g = await onPage(pagesKey, grace);
    // Ada's page fills the currency in as the supplier arrives: a change of hers, made in the
    // transaction that applies Grace's.
    a.fields.observe((e) => {
      if (e.keysChanged.has('supplier') && a.fields.get('supplier') === 'Bolt AG') a.fields.set('currency', 'CHF');
    });
    g.fields.set('supplier', 'Bolt AG');
    await until(() => g.fields.get('currency') === 'CHF', 'the currency at Grace');
    await until(() => (g.edits.get('currency') as { name?: string } | undefined)?.name === 'Ada', 'who set it');
    a.close();
    g.close();
  });

  it('converges concurrent edits of different fields and of the same long text, records who changed what, and keeps the document', async () => {
    const a = await onPage(pagesKey, ada);
    const g = await onPage(pagesKey, grace);
    a.doc.transact(() => {
      a.fields.set('supplier', 'Acme');
      a.fields.set('notes', new Y.Text('Deliver to dock 4.'));
    });
    await until(
      () => g.fields.get('notes') instanceof Y.Text && fieldText(g, 'notes') === 'Deliver to dock 4.',
      'notes at Grace',
    );
    // Both type at once: Ada in another field, both in the same text.
    g.fields.set('quantity', '12');
    (g.fields.get('notes') as Y.Text).insert(0, 'Urgent. ');
    (a.fields.get('notes') as Y.Text).insert('Deliver to dock 4.'.length, ' Call first.');
    a.fields.set('supplier', 'Acme Ltd');
    const same = () =>
      ['supplier', 'quantity', 'notes'].every(
        (f) => a.fields.has(f) && g.fields.has(f) && fieldText(a, f) === fieldText(g, f),
      );
    await until(same, 'the forms to converge');
    expect(fieldText(a, 'notes')).toBe('Urgent. Deliver to dock 4. Call first.');
    expect(fieldText(g, 'supplier')).toBe('Acme Ltd');
    await until(
      () => (a.edits.get('quantity') as { name?: string } | undefined)?.name === 'Grace',
      'who changed quantity',
    );
    expect(g.edits.get('supplier')).toMatchObject({ userId: ada.user.id, name: 'Ada' });

    // A client cannot write who changed what itself.
    const problems: string[] = [];
    g.on('problem', (p) => problems.push(p.code));
    g.edits.set('supplier', { userId: grace.user.id, name: 'Grace', at: new Date().toISOString() });
    await until(() => problems.includes('forbidden'), 'the forged edit refused');
    expect(a.edits.get('supplier')).toMatchObject({ name: 'Ada' });

    a.close();
    g.close();
    // The last one gone, the document is written; the next visitor gets it back.
    await new Promise((r) => setTimeout(r, 200));
    const again = await onPage(pagesKey, grace);
    expect(fieldText(again, 'notes')).toBe('Urgent. Deliver to dock 4. Call first.');
    expect(fieldText(again, 'quantity')).toBe('12');
    again.close();
  });

  it('locks a delegated field for everyone but its delegate, tells the delegate, and the verify API refuses a crafted submit', async () => {
    const desktop = await connectWs(server.url, grace.tokens.accessToken);
    sockets.push(desktop);
    await desktop.next('ready');
    const a = await onPage(pagesKey, ada);
    const g = await onPage(pagesKey, grace);
    a.fields.set('amount', '100');
    await until(() => g.fields.get('amount') === '100', 'amount at Grace');

    const people = await a.request({ type: 'people', q: 'gra' });
    expect(people.people.map((p) => p.name)).toEqual(['Grace']);
    await expect(
      a.request({
        type: 'delegate',
        field: 'amount',
        fieldLabel: 'Amount',
        userId: ada.user.id,
        note: '',
        dueDate: null,
      }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    await expect(
      a.request({
        type: 'delegate',
        field: 'amount',
        fieldLabel: 'Amount',
        userId: mallory.user.id,
        note: '',
        dueDate: null,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const d = await a.request({
      type: 'delegate',
      field: 'amount',
      fieldLabel: 'Amount',
      userId: grace.user.id,
      note: 'Please check the quote',
      dueDate: '2026-12-10',
    });
    expect(d).toMatchObject({ status: 'open', delegate: { name: 'Grace' }, delegatedBy: { name: 'Ada' }, url: PO_URL });
    // Time-ordered like every id a client makes; its creation time is in the record anyway.
    expect(d.id).toMatch(UUIDV7);
    const note = await desktop.next('page.delegation');
    expect(note.delegation).toMatchObject({
      id: d.id,
      field: 'amount',
      note: 'Please check the quote',
      title: 'Purchase order 42',
    });
    await until(
      () => g.delegationOf('amount')?.id === d.id && a.delegationOf('amount') !== undefined,
      'the lock on both pages',
    );
    expect(a.mayWrite('amount')).toBe(false);
    expect(g.mayWrite('amount')).toBe(true);
    await expect(
      a.request({
        type: 'delegate',
        field: 'amount',
        fieldLabel: 'Amount',
        userId: grace.user.id,
        note: '',
        dueDate: null,
      }),
    ).rejects.toMatchObject({ code: 'conflict' });

    // Ada's client writes the field anyway: the server refuses the update and Grace never sees it.
    const problems: string[] = [];
    a.on('problem', (p) => problems.push(p.message));
    const seenByGrace: unknown[] = [];
    g.fields.observe(() => seenByGrace.push(g.fields.get('amount')));
    a.fields.set('amount', '999');
    await until(() => problems.some((p) => p.includes('amount')), "Ada's write refused");
    // Ada's page is put back to what everyone has; Grace never saw the refused value.
    await until(() => a.fields.get('amount') === '100', "Ada's page put back");
    expect(seenByGrace).not.toContain('999');
    g.fields.set('amount', '120');
    await until(
      () => (g.edits.get('amount') as { name?: string } | undefined)?.name === 'Grace',
      "Grace's write taken",
    );
    expect(g.fields.get('amount')).toBe('120');

    // The host app's submit check: Ada's crafted submit of amount is refused, Grace's is not.
    const refused = await verify(pagesKey, ada.user.email, ['supplier', 'amount']);
    expect(refused).toMatchObject({ allowed: false, refused: [{ field: 'amount' }] });
    expect(await verify(pagesKey, grace.user.email, ['amount'])).toMatchObject({ allowed: true, refused: [] });
    expect(await verify(pagesKey, ada.user.email, ['supplier'])).toMatchObject({ allowed: true });
    // Another organisation's key does not see this organisation's delegations.
    const foreign = await server.api.raw('POST', '/pages/verify', {
      body: JSON.stringify({ person: { email: ada.user.email }, page: PO, fields: ['amount'] }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${malloryKey}` },
    });
    expect(foreign.status).toBe(404);

    const mine = await server.api.ok('myDelegations', { token: grace.tokens.accessToken });
    expect(mine.toDo.map((x) => x.id)).toContain(d.id);
    expect((await server.api.ok('myDelegations', { token: ada.tokens.accessToken })).given.map((x) => x.id)).toContain(
      d.id,
    );
    // Only the delegate finishes it; another organisation does not find it.
    expect(
      (
        await server.api.call('finishDelegation', {
          token: ada.tokens.accessToken,
          params: { delegationId: d.id },
          body: { status: 'done' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await server.api.call('finishDelegation', {
          token: mallory.tokens.accessToken,
          params: { delegationId: d.id },
          body: { status: 'done' },
        })
      ).status,
    ).toBe(404);
    const done = await server.api.ok('finishDelegation', {
      token: grace.tokens.accessToken,
      params: { delegationId: d.id },
      body: { status: 'done' },
    });
    expect(done.status).toBe('done');
    await until(() => a.delegationOf('amount') === undefined, 'the lock lifted');
    expect(await verify(pagesKey, ada.user.email, ['amount'])).toMatchObject({ allowed: true });
    a.fields.set('amount', '130');
    await until(() => g.fields.get('amount') === '130', "Ada's write after the delegation");

    const audit = await server.api.ok('listAudit', {
      token: ada.tokens.accessToken,
      query: { action: 'page.field_delegated' },
    });
    expect(audit.entries.map((e) => e.target?.id)).toContain(d.id);
    a.close();
    g.close();
  });

  it('makes a thread on a field a real conversation with a link back, seen on the page and in the desktop app', async () => {
    const a = await onPage(pagesKey, ada);
    const g = await onPage(pagesKey, grace);
    const heard: PageServerMessage[] = [];
    g.on('thread.message', (m) => heard.push({ type: 'thread.message', ...m }));
    const posted = await a.request({
      type: 'thread.post',
      field: 'amount',
      fieldLabel: 'Amount',
      text: 'Is this net or gross?',
    });
    expect(posted.thread).toMatchObject({ field: 'amount', url: PO_URL });
    await until(() => heard.length === 1 && g.threads.length === 1, 'the thread at Grace');
    const opened = await g.request({ type: 'thread.open', field: 'amount' });
    expect(opened.messages.map((m) => [m.author.name, m.body])).toEqual([
      ['Ada', `Thread on “Amount” of Purchase order 42: ${PO_URL}#tandem-field=amount`],
      ['Ada', 'Is this net or gross?'],
    ]);
    await g.request({ type: 'thread.post', field: 'amount', fieldLabel: 'Amount', text: 'Net.' });
    expect((await a.request({ type: 'thread.open', field: 'amount' })).messages.at(-1)?.body).toBe('Net.');

    // In the desktop app: an ordinary conversation of the organisation, and the Pages view's threads.
    const conversation = await server.api.ok('getConversation', {
      token: grace.tokens.accessToken,
      params: { conversationId: posted.thread.conversationId },
    });
    expect(conversation.name).toBe('Purchase order 42 · Amount');
    // The messages the server posted for Ada carry time-ordered client ids, as her apps' own do.
    const history = await server.api.ok('history', {
      token: grace.tokens.accessToken,
      params: { conversationId: posted.thread.conversationId },
    });
    expect(history.events.map((e) => e.clientId)).toEqual([
      expect.stringMatching(UUIDV7),
      expect.stringMatching(UUIDV7),
      expect.stringMatching(UUIDV7),
    ]);
    // Grace replies from the desktop app: the page shows it live, without opening the thread again.
    const atAda: PageServerMessage[] = [];
    a.on('thread.message', (m) => atAda.push({ type: 'thread.message', ...m }));
    await server.api.ok('sendMessage', {
      token: grace.tokens.accessToken,
      params: { conversationId: posted.thread.conversationId },
      body: { clientId: randomUUID(), body: 'Gross, see the quote.' },
    });
    await until(() => atAda.length === 1, 'the desktop reply on the page');
    expect(atAda[0]).toMatchObject({
      field: 'amount',
      message: { author: { name: 'Grace' }, body: 'Gross, see the quote.' },
    });
    const threads = await server.api.ok('pageThreads', { token: grace.tokens.accessToken });
    expect(threads.threads.map((t) => t.conversationId)).toContain(posted.thread.conversationId);
    expect((await server.api.ok('pageThreads', { token: mallory.tokens.accessToken })).threads).toEqual([]);
    expect(
      (
        await server.api.call('getConversation', {
          token: mallory.tokens.accessToken,
          params: { conversationId: posted.thread.conversationId },
        })
      ).status,
    ).toBe(404);
    a.close();
    g.close();
  });
});

describe('pages: requests on the page socket are capped per person', () => {
  it('answers rate_limited past the limit, and the socket goes on', async () => {
    const server = await startTestServer(livekit, { rateLimits: { messagesPerMinute: 3 } });
    try {
      const owner = await signUp(server.api, 'Limited');
      const { key } = await server.api.ok('createApiKey', {
        token: owner.tokens.accessToken,
        body: { name: 'page host', scopes: ['pages:write'] },
      });
      const r = await server.api.raw('POST', '/pages/tokens', {
        body: JSON.stringify({ person: { email: owner.user.email }, page: PO, url: PO_URL, title: 'PO' }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      });
      const token = (await r.json()) as PageToken;
      const s = new PageSession((url) => new WebSocket(url) as unknown as SocketLike);
      await s.connect(`${server.url.replace(/^http/, 'ws')}${token.socketPath}`, token.token);
      for (let i = 0; i < 3; i++) await s.request({ type: 'people', q: '' });
      await expect(s.request({ type: 'people', q: '' })).rejects.toMatchObject({ code: 'rate_limited' });
      s.fields.set('supplier', 'still in step');
      await until(() => s.edits.has('supplier'), 'the document still answered');
      s.close();
    } finally {
      await server.close();
    }
  });
});

describe('pages: the server stops while a page’s last socket is leaving', () => {
  it('writes its document, and nothing after the store closed (the rooms with a store of their own on the server’s database)', async () => {
    const server = await startTestServer(livekit);
    try {
      const owner = await signUp(server.api, 'Closing');
      const store = await openStore(server.databasePath);
      const problems: string[] = [];
      const rooms = pageRooms(
        store,
        async () => new Map(),
        (message, e) => problems.push(`${message}: ${String(e)}`),
        () => {},
        pageRelay(localCluster(), () => {}),
        () => {},
      );
      const joined = await rooms.join(
        { organisationId: owner.user.organisationId, page: PO, url: PO_URL, title: 'Purchase order 42' },
        { person: { id: owner.user.id, name: owner.user.name }, sendFrame() {}, send() {} },
        async () => new Map(),
      );
      const page = new Y.Doc();
      page.getMap(PAGE_DOC.fields).set('supplier', 'Globex');
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, PAGE_FRAME.sync);
      syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(page));
      joined.receive(encoding.toUint8Array(e));
      // As the server closes: the socket's leave is under way when the rooms are flushed and the store closes.
      const leaving = joined.leave();
      await rooms.flush();
      await store.close();
      await leaving;
      expect(problems).toEqual([]);

      const reopened = await openStore(server.databasePath);
      try {
        const stored = await reopened.pages.doc(owner.user.organisationId, PO);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, Buffer.from(stored ?? '', 'base64'));
        expect(doc.getMap(PAGE_DOC.fields).get('supplier')).toBe('Globex');
      } finally {
        await reopened.close();
      }
    } finally {
      await server.close();
    }
  });
});
