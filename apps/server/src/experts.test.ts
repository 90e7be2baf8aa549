import { type AuthSession, type ExpertAsk, type PageKey, type PageServerMessage } from '@tandem/shared';
import type { PageSession } from '@tandem/page-sdk/session';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPage } from './pageTestSupport.ts';
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
 * Ask an expert (issue 18) over real HTTP and WebSockets: skills people list, the directory, an
 * ask from a page (the page SDK's own session code) that rings only the available people with the
 * skill on their desktop sockets, the first answer winning the page's room (one meeting per page,
 * the page link in its chat), declines, cancels, an ask that rings out, and the organisation's
 * walls around all of it.
 */

const livekit = inject('livekit');

const PO: PageKey = { app: 'procurement', view: 'PurchaseOrderView', recordId: '7' };
const PO_URL = 'http://127.0.0.1:5000/purchaseorderview/edit/7';
/** Short enough to watch an ask ring out, long enough for the answers below to come first. */
const RING_SECONDS = 6;

describe('ask an expert: skills, ringing, answering', () => {
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let linus: AuthSession;
  let guest: AuthSession;
  let mallory: AuthSession;
  let pagesKey: string;
  let malloryKey: string;
  const sessions: PageSession[] = [];
  const sockets: WsClient[] = [];
  const desktop: Record<string, WsClient> = {};
  const t = (who: AuthSession): string => who.tokens.accessToken;

  async function onPage(key: string, who: AuthSession): Promise<{ s: PageSession; seen: PageServerMessage[] }> {
    const seen: PageServerMessage[] = [];
    const s = await openPage(server, key, { page: PO, url: PO_URL, title: 'Purchase order 7' }, who.user.email, (m) =>
      seen.push(m),
    );
    sessions.push(s);
    return { s, seen };
  }

  /** Resolves with the page's first `ask` message (seen already or still to come) that matches. */
  async function pageAsk(seen: PageServerMessage[], where: (a: ExpertAsk) => boolean): Promise<ExpertAsk> {
    const end = Date.now() + 10_000;
    for (;;) {
      const found = seen.find(
        (m): m is Extract<PageServerMessage, { type: 'ask' }> => m.type === 'ask' && where(m.ask),
      );
      if (found !== undefined) return found.ask;
      if (Date.now() > end) throw new Error('no matching ask on the page');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const skills = (who: AuthSession, list: unknown) =>
    server.api.call('setMySkills', { token: t(who), body: { skills: list } });

  beforeAll(async () => {
    server = await startTestServer(livekit, { expertRingSeconds: RING_SECONDS });
    ada = await signUp(server.api, 'Ada');
    grace = await addPerson(server.api, ada, 'Grace', 'member');
    linus = await addPerson(server.api, ada, 'Linus', 'member');
    guest = await addPerson(server.api, ada, 'Guest', 'guest');
    mallory = await signUp(server.api, 'Mallory');
    const key = async (owner: AuthSession) =>
      (await server.api.ok('createApiKey', { token: t(owner), body: { name: 'pages', scopes: ['pages:write'] } })).key;
    pagesKey = await key(ada);
    malloryKey = await key(mallory);
    // Each has the desktop app open: a realtime socket, which is what makes them online.
    for (const [name, who] of Object.entries({ ada, grace, linus, mallory })) {
      const ws = await connectWs(server.url, t(who));
      sockets.push(ws);
      desktop[name] = ws;
    }
  });

  afterAll(async () => {
    for (const s of sessions) s.close();
    for (const c of sockets) c.close();
    await server.close();
  });

  it('keeps each person’s skills, one of each whatever the case, and refuses bad lists and guests', async () => {
    expect(await skills(grace, ['Customs', 'customs ', 'Incoterms'])).toMatchObject({
      status: 200,
      body: { skills: ['Customs', 'Incoterms'] },
    });
    expect(await server.api.ok('mySkills', { token: t(grace) })).toEqual({ skills: ['Customs', 'Incoterms'] });
    expect(await skills(linus, ['CUSTOMS'])).toMatchObject({ status: 200 });
    expect(await skills(mallory, ['Customs'])).toMatchObject({ status: 200 });
    // Refused: too many, too long, control characters, not a list; a guest has none.
    const tooMany = Array.from({ length: 21 }, (_, i) => `skill ${i}`);
    for (const bad of [tooMany, ['x'.repeat(61)], ['a\u0007b'], 'Customs', ['']])
      expect(await skills(ada, bad)).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(await skills(guest, ['Customs'])).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    // Nothing half-written by a refused list.
    expect(await server.api.ok('mySkills', { token: t(ada) })).toEqual({ skills: [] });
  });

  it('lists the organisation’s skills with who has them and how many are available; not another organisation’s', async () => {
    await server.api.ok('setPresence', { token: t(linus), body: { chosen: 'dnd' } });
    const { skills: directory } = await server.api.ok('skillsDirectory', { token: t(ada) });
    const customs = directory.find((s) => s.skill.toLowerCase() === 'customs');
    expect(customs?.people.map((p) => p.name).sort()).toEqual(['Grace', 'Linus']);
    expect(customs?.people.find((p) => p.name === 'Linus')?.status).toBe('dnd');
    expect(customs?.available).toBe(1);
    expect(directory.find((s) => s.skill === 'Incoterms')?.people.map((p) => p.name)).toEqual(['Grace']);
    const theirs = await server.api.ok('skillsDirectory', { token: t(mallory) });
    expect(theirs.skills.flatMap((s) => s.people.map((p) => p.name))).toEqual(['Mallory']);
    // From a page of her organisation, nobody of Ada's is rung: Mallory alone lists it there.
    const { s: theirPage } = await onPage(malloryKey, mallory);
    await expect(theirPage.request({ type: 'ask', skill: 'Customs', note: '' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('rings only those available with the skill; the first answer wins the page’s room, whose chat has the page link', async () => {
    const { s: page, seen } = await onPage(pagesKey, ada);
    expect(await page.request({ type: 'skills' })).toEqual({
      skills: expect.arrayContaining([
        { skill: 'Customs', available: 1 },
        { skill: 'Incoterms', available: 1 },
      ]) as unknown,
    });
    await expect(page.request({ type: 'ask', skill: 'Tariffs', note: '' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/nobody who lists “Tariffs” is available now/) as unknown,
    });

    const ask = await page.request({ type: 'ask', skill: 'customs', note: 'HS code for the pumps?' });
    expect(ask).toMatchObject({
      status: 'ringing',
      skill: 'Customs',
      note: 'HS code for the pumps?',
      askedBy: { id: ada.user.id, name: 'Ada' },
      rung: [{ id: grace.user.id, name: 'Grace' }],
      url: PO_URL,
      title: 'Purchase order 7',
    });
    expect(Date.parse(ask.ringUntil) - Date.parse(ask.createdAt)).toBe(RING_SECONDS * 1000);
    // Time-ordered like every id a client makes; its creation time is in the record anyway.
    expect(ask.id).toMatch(UUIDV7);
    const ringing = await desktop.grace?.next('expert.ask', (m) => m.ask.id === ask.id);
    expect(ringing?.ask.meeting.joinCode).toBe(ask.meeting.joinCode);
    // Linus (do not disturb) and Mallory (another organisation) hear nothing.
    for (const name of ['linus', 'mallory'] as const) {
      const ws = desktop[name];
      if (ws === undefined) throw new Error(name);
      await drained(ws);
      expect(ws.received.filter((m) => m.type === 'expert.ask')).toEqual([]);
    }
    // Only those rung may answer; another organisation does not find the ask at all.
    expect(
      await server.api.call('answerExpertAsk', { token: t(linus), params: { askId: ask.id }, body: {} }),
    ).toMatchObject({ status: 404 });
    expect(
      await server.api.call('answerExpertAsk', { token: t(mallory), params: { askId: ask.id }, body: {} }),
    ).toMatchObject({ status: 404 });

    const answered = await server.api.ok('answerExpertAsk', { token: t(grace), params: { askId: ask.id }, body: {} });
    expect(answered).toMatchObject({ status: 'answered', answeredBy: { id: grace.user.id, name: 'Grace' } });
    await desktop.ada?.next('expert.ask', (m) => m.ask.id === ask.id && m.ask.status === 'answered');
    expect((await pageAsk(seen, (a) => a.id === ask.id && a.status === 'answered')).answeredBy?.name).toBe('Grace');
    expect(
      await server.api.call('answerExpertAsk', { token: t(grace), params: { askId: ask.id }, body: {} }),
    ).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });

    // Both meet in the page's room: Grace joins it by its code, and its chat says where the page is.
    const meeting = await server.api.ok('resolveJoinCode', { token: t(grace), params: { code: ask.meeting.joinCode } });
    expect(meeting).toMatchObject({ id: ask.meeting.id, title: 'Purchase order 7' });
    const joined = await server.api.ok('joinMeeting', { token: t(grace), params: { meetingId: meeting.id }, body: {} });
    expect(joined.status).toBe('joined');
    const history = await server.api.ok('history', {
      token: t(grace),
      params: { conversationId: meeting.conversationId },
      query: { since: 0, limit: 50 },
    });
    expect(history.events.map((e) => (e.type === 'message' ? e.body : ''))).toContain(
      `Ada asked for help with Customs on Purchase order 7: “HS code for the pumps?” ${PO_URL}`,
    );
    const audit = await server.api.ok('listAudit', { token: t(ada), query: { action: 'page.expert_answered' } });
    expect(audit.entries.map((e) => e.target?.id)).toContain(ask.id);
  });

  it('asks again on the same page in the same room; when everyone rung declines, the ask is declined', async () => {
    await server.api.ok('setPresence', { token: t(linus), body: { chosen: 'available' } });
    const { s: page, seen } = await onPage(pagesKey, ada);
    const ask = await page.request({ type: 'ask', skill: 'Customs', note: '' });
    expect(ask.rung.map((p) => p.name).sort()).toEqual(['Grace', 'Linus']);
    const rooms = await server.api.ok('listMeetings', { token: t(ada) });
    expect(rooms.meetings.filter((m) => m.title === 'Purchase order 7')).toHaveLength(1);

    const one = await server.api.ok('declineExpertAsk', { token: t(grace), params: { askId: ask.id }, body: {} });
    expect(one).toMatchObject({ status: 'ringing', declined: [grace.user.id] });
    const two = await server.api.ok('declineExpertAsk', { token: t(linus), params: { askId: ask.id }, body: {} });
    expect(two.status).toBe('declined');
    await pageAsk(seen, (a) => a.id === ask.id && a.status === 'declined');
    await desktop.grace?.next('expert.ask', (m) => m.ask.id === ask.id && m.ask.status === 'declined');
  });

  it('joins a page’s room from the Pages view: the asks’ room, one per page; not for an unknown page, a guest or another organisation', async () => {
    const { s: page } = await onPage(pagesKey, ada);
    const room = (who: AuthSession, key: PageKey) =>
      server.api.call('pageRoom', { token: t(who), body: { page: key } });
    // Grace joins the page's room (the one asks use, made on first use); Linus's click finds the same.
    const first = await server.api.ok('pageRoom', { token: t(grace), body: { page: PO } });
    expect(first).toMatchObject({ title: 'Purchase order 7', settings: { lobby: false } });
    expect((await room(linus, PO)).body).toMatchObject({ id: first.id });
    const rooms = await server.api.ok('listMeetings', { token: t(ada) });
    expect(rooms.meetings.filter((m) => m.title === 'Purchase order 7').map((m) => m.id)).toEqual([first.id]);
    await server.api.ok('resolveJoinCode', { token: t(linus), params: { code: first.joinCode } });
    // A page nobody is on and nothing is on; a bad key; a guest.
    expect(await room(grace, { ...PO, recordId: '8' })).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    const bad = await server.api.raw('POST', '/pages/room', {
      body: JSON.stringify({ page: { app: 'procurement' } }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t(grace)}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'bad_request' } });
    expect(await room(guest, PO)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    // Mallory's organisation has a page of that key too (her own app's): never Ada's room.
    const theirs = await room(mallory, PO);
    expect(theirs.status === 404 || (theirs.body as { id?: string }).id !== first.id).toBe(true);
    page.close();
  });

  it('the asker cancels an ask that rings (nobody else may), and an unanswered ask rings out as missed', async () => {
    const { s: page, seen } = await onPage(pagesKey, ada);
    const { s: gracePage } = await onPage(pagesKey, grace);
    const ask = await page.request({ type: 'ask', skill: 'Incoterms', note: 'FOB or CIF?' });
    // Grace cannot ask herself, and cannot cancel Ada's ask.
    await expect(gracePage.request({ type: 'ask', skill: 'Incoterms', note: '' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(gracePage.request({ type: 'ask.cancel', askId: ask.id })).rejects.toMatchObject({ code: 'not_found' });
    expect(await page.request({ type: 'ask.cancel', askId: ask.id })).toMatchObject({ status: 'cancelled' });
    await desktop.grace?.next('expert.ask', (m) => m.ask.id === ask.id && m.ask.status === 'cancelled');
    expect(
      await server.api.call('answerExpertAsk', { token: t(grace), params: { askId: ask.id }, body: {} }),
    ).toMatchObject({ status: 409 });

    const unanswered = await page.request({ type: 'ask', skill: 'Incoterms', note: '' });
    const missed = await pageAsk(seen, (a) => a.id === unanswered.id && a.status === 'missed');
    expect(Date.parse(missed.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(unanswered.ringUntil) - 50);
  });
});
