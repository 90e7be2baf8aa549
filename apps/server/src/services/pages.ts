import {
  CONVERSATION_LIMITS,
  PAGE_LIMITS,
  PAGE_WS_PATH,
  pageFieldLink,
  pageKeyString,
  type ChatEvent,
  type CreatePageTokenRequest,
  type MyDelegations,
  type PageClientMessage,
  type PageDelegation,
  type PageKey,
  type PageRoomRequest,
  type Meeting,
  type PagePerson,
  type PageResults,
  type PagesNow,
  type PageThread,
  type PageThreadMessage,
  type PageToken,
  type PresenceStatus,
  type RequestOrigin,
  type User,
  type VerifyPageRequest,
  type VerifyPageResult,
} from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { PageGrant } from '../store/pages.ts';
import type { AuditService } from './audit.ts';
import { hashToken, newToken } from './auth.ts';
import type { ChatService } from './chat.ts';
import { nowIso, orderedId, type Caller } from './context.ts';
import type { ConversationService } from './conversations.ts';
import { expertService, type ExpertMeetings } from './experts.ts';
import { badRequest, conflict, forbidden, notFound, unauthenticated } from './errors.ts';
import type { PageRelay } from '../cluster/pageRelay.ts';
import { pageRooms, type PageMember, type PagePlace } from './pageRooms.ts';
import { presenceView } from './presence.ts';
import type { Log, Realtime } from './realtime.ts';

/** Delegations listed of each kind (to do, given) in the desktop's Pages view. */
const LISTED_DELEGATIONS = 50;
const LISTED_THREADS = 100;
const PEOPLE_FOUND = 20;
/** The organisation hears `pages.changed` at most this often: a burst of changes is one message. */
const PAGES_CHANGED_MS = 500;

/**
 * Pages of business web apps (issue 18; packages/shared/src/api/pages.ts): page tokens the host
 * app's backend mints with an API key, the verify API its submit handler calls, field delegations,
 * threads on fields (real conversations), and the pages people are on now (`pageRooms.ts`).
 */
export function pageService(
  store: Store,
  realtime: Realtime,
  conversations: ConversationService,
  chat: ChatService,
  audit: AuditService,
  log: Log,
  meetings: ExpertMeetings,
  /** How long an ask for an expert rings. */
  ringMs: number,
  /** The page rooms' link to the other coordination instances (a no-op alone). */
  relay: PageRelay,
) {
  /** These people's status as the desktop app shows it; someone on a page is at least online. */
  async function statuses(organisationId: string, userIds: readonly string[]): Promise<Map<string, PresenceStatus>> {
    const now = nowIso();
    const rows = await store.activity.listPresence(organisationId, userIds);
    return new Map(
      rows.map((r) => {
        const { status } = presenceView(r, now);
        return [r.userId, status === 'offline' ? 'online' : status];
      }),
    );
  }
  /** Organisations whose `pages.changed` is on its way. */
  const pending = new Map<string, NodeJS.Timeout>();
  /** Desktops' Pages views read again once who is where, a delegation or a thread changed. */
  function changed(organisationId: string): void {
    if (pending.has(organisationId)) return;
    const timer = setTimeout(() => {
      pending.delete(organisationId);
      realtime.toOrg(organisationId, { type: 'pages.changed' });
    }, PAGES_CHANGED_MS);
    timer.unref();
    pending.set(organisationId, timer);
  }
  const rooms = pageRooms(store, statuses, log, changed, relay, (organisationId, message) => {
    // A thread made through another instance: its messages reach this instance's sockets too.
    if (message.type === 'threads') placeThreads(organisationId, message.threads);
  });
  /**
   * The conversations of threads on pages this instance has open, learnt as their pages are told
   * of them: a message in one, wherever it was written (the desktop app, another instance), reaches
   * the page live.
   */
  const threadPlaces = new Map<
    string,
    { readonly organisationId: string; readonly page: PageKey; readonly field: string }
  >();
  function placeThreads(organisationId: string, threads: PageThread[]): PageThread[] {
    for (const t of threads) threadPlaces.set(t.conversationId, { organisationId, page: t.page, field: t.field });
    return threads;
  }
  realtime.onChat((conversation, event) => {
    const place = threadPlaces.get(conversation.id);
    if (place === undefined || event.type !== 'message') return;
    void (async () => {
      const author = await store.identity.getUser(place.organisationId, event.authorId);
      const message = messageOf(event, new Map(author === undefined ? [] : [[author.id, author.name]]));
      // Every instance hears the chat event itself, and tells its own sockets.
      await rooms.broadcastHere(place.organisationId, place.page, {
        type: 'thread.message',
        field: place.field,
        message,
      });
    })().catch((e: unknown) => log('thread message to the page failed', e));
  });
  const experts = expertService(
    store,
    realtime,
    meetings,
    chat,
    audit,
    (organisationId, page, message) => rooms.broadcast(organisationId, page, message),
    log,
    ringMs,
  );

  /** Only the host app's backend, with an API key, speaks for people of the organisation. */
  function hostApp(caller: Caller): void {
    if (caller.apiKey === undefined)
      throw forbidden("only the host app's backend (an API key) speaks for people on pages");
  }

  async function personOf(caller: Caller, who: PagePerson): Promise<User> {
    const person = await store.pages.person(caller.user.organisationId, who);
    if (person === undefined) throw notFound('person');
    return person;
  }

  function refuseGuests(caller: Caller): void {
    if (caller.user.role === 'guest') throw forbidden('guests see no pages');
  }

  async function locks(organisationId: string, place: Pick<PagePlace, 'page'>): Promise<Map<string, string>> {
    const open = await store.pages.openOnPage(organisationId, place.page);
    return new Map(open.map((d) => [d.field, d.delegate.id]));
  }

  /** A delegation changed: its page's locks, everyone on the page, its delegate's and giver's desktops. */
  async function announce(d: PageDelegation, organisationId: string): Promise<void> {
    const open = await store.pages.openOnPage(organisationId, d.page);
    await rooms.relock(organisationId, d.page, new Map(open.map((o) => [o.field, o.delegate.id])));
    await rooms.broadcast(organisationId, d.page, { type: 'delegations', delegations: open });
    realtime.toUsers(new Set([d.delegate.id, d.delegatedBy.id]), { type: 'page.delegation', delegation: d });
    changed(organisationId);
  }

  async function finish(caller: Caller, delegationId: string, status: 'done' | 'cancelled'): Promise<PageDelegation> {
    const org = caller.user.organisationId;
    const d = await store.pages.delegation(org, delegationId);
    if (d === undefined) throw notFound('delegation');
    if (status === 'done' && d.delegate.id !== caller.user.id)
      throw forbidden('only its delegate finishes a delegation');
    if (status === 'cancelled' && d.delegatedBy.id !== caller.user.id)
      throw forbidden('only whoever gave a delegation takes it back');
    if (!(await store.pages.finish(org, d.id, status, nowIso())))
      throw conflict(`the delegation is ${d.status} already`);
    const after = await store.pages.delegation(org, d.id);
    if (after === undefined) throw notFound('delegation');
    await audit.byCaller(caller, 'page.delegation_finished', {
      target: { kind: 'page', id: d.id, label: `${d.title} · ${d.fieldLabel}` },
      detail: { status },
    });
    await announce(after, org);
    return after;
  }

  /** The messages of a thread as the page shows them: edits applied, deleted ones gone. */
  async function threadMessages(caller: Caller, conversationId: string): Promise<PageThreadMessage[]> {
    const page = await chat.history(caller, conversationId, 0, PAGE_LIMITS.threadMessages);
    const authors = page.events.map((e) => e.authorId);
    const names = new Map(
      (await store.identity.usersIn(caller.user.organisationId, [...new Set(authors)])).map((u) => [u.id, u.name]),
    );
    const messages = new Map<string, PageThreadMessage>();
    for (const e of page.events) {
      if (e.type === 'message') messages.set(e.messageId, messageOf(e, names));
      else if (e.type === 'edit') {
        const m = messages.get(e.messageId);
        if (m !== undefined) messages.set(e.messageId, { ...m, body: e.body });
      } else if (e.type === 'delete') messages.delete(e.messageId);
    }
    return [...messages.values()];
  }

  const messageOf = (
    e: Extract<ChatEvent, { type: 'message' }>,
    names: ReadonlyMap<string, string>,
  ): PageThreadMessage => ({
    id: e.messageId,
    author: { id: e.authorId, name: names.get(e.authorId) ?? 'Someone' },
    body: e.body,
    createdAt: e.createdAt,
  });

  /** What a page socket asks, as the person its token names. */
  async function control(caller: Caller, grant: PageGrant, m: Exclude<PageClientMessage, { type: 'auth' }>) {
    const org = caller.user.organisationId;
    switch (m.type) {
      case 'people': {
        const found = await store.identity.peopleNamed(org, m.q, PEOPLE_FOUND, {
          members: true,
          except: caller.user.id,
        });
        const status = await statuses(
          org,
          found.map((u) => u.id),
        );
        const people = found.map((u) => ({ id: u.id, name: u.name, status: status.get(u.id) ?? 'offline' }));
        return { people } satisfies PageResults['people'];
      }
      case 'delegate': {
        if (m.userId === caller.user.id) throw badRequest('delegate the field to someone else');
        const delegate = await store.identity.getUser(org, m.userId);
        if (delegate === undefined || delegate.status !== 'active' || delegate.role === 'guest')
          throw notFound('person');
        const held = (await locks(org, grant)).get(m.field);
        if (held !== undefined) throw conflict('the field is delegated already');
        const made = await store.pages.delegate({
          id: orderedId(),
          organisationId: org,
          page: grant.page,
          url: grant.url,
          title: grant.title,
          field: m.field,
          fieldLabel: m.fieldLabel,
          delegateId: delegate.id,
          delegatedById: caller.user.id,
          note: m.note,
          dueDate: m.dueDate,
          createdAt: nowIso(),
        });
        if (made === undefined) throw conflict('the field is delegated already');
        await audit.byCaller(caller, 'page.field_delegated', {
          target: { kind: 'page', id: made.id, label: `${made.title} · ${made.fieldLabel}` },
          detail: { delegateId: delegate.id, field: m.field, url: grant.url },
        });
        await announce(made, org);
        return made satisfies PageResults['delegate'];
      }
      case 'delegation.finish': {
        const d = await store.pages.delegation(org, m.delegationId);
        // From a page, only that page's delegations.
        if (d === undefined || pageKeyString(d.page) !== pageKeyString(grant.page)) throw notFound('delegation');
        return (await finish(caller, m.delegationId, m.status)) satisfies PageResults['delegation.finish'];
      }
      case 'thread.open': {
        const thread = (await store.pages.thread(org, grant.page, m.field)) ?? null;
        const messages = thread === null ? [] : await threadMessages(caller, thread.conversationId);
        return { thread, messages } satisfies PageResults['thread.open'];
      }
      case 'thread.post': {
        let thread = await store.pages.thread(org, grant.page, m.field);
        if (thread === undefined) {
          const name = `${grant.title} · ${m.fieldLabel}`.slice(0, CONVERSATION_LIMITS.nameChars);
          const created = await conversations.createChannel(caller, { name });
          const link = pageFieldLink(grant.url, m.field);
          await chat.send(caller, created.id, {
            clientId: orderedId(),
            body: `Thread on “${m.fieldLabel}” of ${grant.title}: ${link}`,
          });
          thread = await store.pages.putThread(org, {
            page: grant.page,
            url: grant.url,
            title: grant.title,
            field: m.field,
            fieldLabel: m.fieldLabel,
            conversationId: created.id,
            createdAt: nowIso(),
          });
          await rooms.broadcast(org, grant.page, {
            type: 'threads',
            threads: placeThreads(org, await store.pages.threadsOnPage(org, grant.page)),
          });
          changed(org);
        }
        const event = await chat.send(caller, thread.conversationId, { clientId: orderedId(), body: m.text });
        if (event.type !== 'message') throw conflict('the message was not posted');
        // Everyone on the page hears it as they hear the desktop app's replies (`onChat` above).
        const message = messageOf(event, new Map([[caller.user.id, caller.user.name]]));
        return { thread, message } satisfies PageResults['thread.post'];
      }
      case 'skills':
        return (await experts.forPage(caller)) satisfies PageResults['skills'];
      case 'ask':
        return (await experts.ask(caller, grant, m.skill, m.note)) satisfies PageResults['ask'];
      case 'ask.cancel':
        return (await experts.cancel(caller, grant, m.askId)) satisfies PageResults['ask.cancel'];
      default: {
        const never: never = m;
        throw badRequest(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  return {
    async mintToken(caller: Caller, req: CreatePageTokenRequest): Promise<PageToken> {
      hostApp(caller);
      const person = await personOf(caller, req.person);
      const token = newToken();
      const expiresAt = new Date(Date.now() + PAGE_LIMITS.tokenTtlSeconds * 1000).toISOString();
      await store.pages.putToken(
        hashToken(token),
        {
          organisationId: caller.user.organisationId,
          userId: person.id,
          page: req.page,
          url: req.url,
          title: req.title,
          expiresAt,
        },
        nowIso(),
      );
      return { token, expiresAt, socketPath: PAGE_WS_PATH, userId: person.id };
    },

    async verify(caller: Caller, req: VerifyPageRequest): Promise<VerifyPageResult> {
      hostApp(caller);
      const person = await personOf(caller, req.person);
      const open = await store.pages.openOnPage(caller.user.organisationId, req.page);
      const asked = new Set(req.fields);
      const refused = open
        .filter((d) => asked.has(d.field) && d.delegate.id !== person.id)
        .map((delegation) => ({ field: delegation.field, delegation }));
      return { allowed: refused.length === 0, refused };
    },

    /**
     * The page's room, made on first use: only for a page the organisation has (someone is on it,
     * or a thread or a delegation is on it), under the title it is known by.
     */
    async room(caller: Caller, req: PageRoomRequest): Promise<Meeting> {
      refuseGuests(caller);
      const org = caller.user.organisationId;
      const title =
        (await rooms.titleOf(org, req.page)) ??
        (await store.pages.threadsOnPage(org, req.page))[0]?.title ??
        (await store.pages.openOnPage(org, req.page))[0]?.title;
      if (title === undefined) throw notFound('page');
      return experts.room(caller, { page: req.page, title });
    },

    async now(caller: Caller): Promise<PagesNow> {
      refuseGuests(caller);
      const pages = await rooms.now(caller.user.organisationId);
      return {
        pages: pages.map(({ place, viewers }) => ({ page: place.page, url: place.url, title: place.title, viewers })),
      };
    },

    async delegations(caller: Caller): Promise<MyDelegations> {
      refuseGuests(caller);
      return store.pages.mine(caller.user.organisationId, caller.user.id, LISTED_DELEGATIONS);
    },

    finish,

    async threads(caller: Caller): Promise<{ threads: PageThread[] }> {
      refuseGuests(caller);
      return { threads: await store.pages.threads(caller.user.organisationId, LISTED_THREADS) };
    },

    /**
     * Opens a page socket's session from its token: the person (still active) on the page the
     * token names. Its caller acts as that person, like a session of theirs.
     */
    async open(token: string, origin: RequestOrigin) {
      const hash = hashToken(token);
      const grant = await store.pages.grant(hash, nowIso());
      if (grant === undefined) throw unauthenticated('the page token is unknown or expired');
      const user = await store.identity.getUser(grant.organisationId, grant.userId);
      if (user === undefined || user.status !== 'active') throw unauthenticated('the person can no longer sign in');
      const caller: Caller = { user, sessionId: `page:${hash.slice(0, 16)}`, origin };
      const place: PagePlace = {
        organisationId: grant.organisationId,
        page: grant.page,
        url: grant.url,
        title: grant.title,
      };
      return {
        caller,
        grant,
        /** Puts the socket on the page, and tells it the page's delegations and threads. */
        async join(member: PageMember) {
          const joined = await rooms.join(place, member, () => locks(grant.organisationId, place));
          member.send({
            type: 'delegations',
            delegations: await store.pages.openOnPage(grant.organisationId, grant.page),
          });
          member.send({
            type: 'threads',
            threads: placeThreads(
              grant.organisationId,
              await store.pages.threadsOnPage(grant.organisationId, grant.page),
            ),
          });
          return joined;
        },
        control: (m: Exclude<PageClientMessage, { type: 'auth' }>) => control(caller, grant, m),
      };
    },

    /** Someone's status changed (presence.ts): the pages they are on show it at once. */
    presenceChanged: (organisationId: string, userId: string): Promise<void> => rooms.restatus(organisationId, userId),

    /**
     * An instance that died left these shared keys (Cluster.orphans): the Pages views of the
     * organisations it had people on pages of read them again (its people are gone from them).
     */
    sharesLost(keys: readonly string[]): void {
      for (const organisationId of relay.organisationsIn(keys)) changed(organisationId);
    },

    /** Skills and asks for an expert (experts.ts). */
    experts,

    /** Writes open page documents before the store closes. */
    stop: () => {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
      return rooms.flush();
    },
  };
}

export type PageService = ReturnType<typeof pageService>;
