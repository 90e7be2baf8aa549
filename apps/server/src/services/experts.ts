import {
  EXPERT_LIMITS,
  pageKeyString,
  type ExpertAsk,
  type Meeting,
  type PageKey,
  type PageResults,
  type PageServerMessage,
  type PresenceStatus,
  type SetSkillsRequest,
  type SkillList,
  type SkillsDirectory,
  type User,
} from '@tandem/shared';
import type { ExpertAskRow, Store } from '../store/index.ts';
import type { PageGrant } from '../store/pages.ts';
import type { AuditService } from './audit.ts';
import type { ChatService } from './chat.ts';
import { nowIso, orderedId, type Caller } from './context.ts';
import { conflict, forbidden, notFound } from './errors.ts';
import { presenceView } from './presence.ts';
import type { Log, Realtime } from './realtime.ts';

/** What asking needs of the meetings: a page's room is a meeting its first asker makes. */
export type ExpertMeetings = {
  create(caller: Caller, req: { title: string; settings: { lobby: boolean } }): Promise<Meeting>;
};

/** Tells everyone on a page (pageRooms.ts). */
export type ToPage = (organisationId: string, page: PageKey, message: PageServerMessage) => Promise<void>;

/**
 * Ask an expert (issue 18; packages/shared/src/api/pages.ts): skills people list, the directory,
 * and asks from a page that ring the available people with the skill on their desktops. The first
 * to answer meets the asker in the page's room. An ask rings for `ringMs`; its own timer calls it
 * missed, and `sweep` does so for asks whose instance stopped before their time was up.
 */
export function expertService(
  store: Store,
  realtime: Realtime,
  meetings: ExpertMeetings,
  chat: ChatService,
  audit: AuditService,
  toPage: ToPage,
  log: Log,
  ringMs: number = EXPERT_LIMITS.ringSeconds * 1000,
) {
  const timers = new Map<string, NodeJS.Timeout>();

  function members(caller: Caller): void {
    if (caller.user.role === 'guest') throw forbidden('guests have no skills and ask no experts');
  }

  /**
   * Of these people of the organisation (a skill's holders), the active members by id, and how
   * each is now (offline when never seen).
   */
  async function people(
    organisationId: string,
    userIds: readonly string[],
  ): Promise<{ users: Map<string, User>; status: (id: string) => PresenceStatus }> {
    const now = nowIso();
    const ids = [...new Set(userIds)];
    const [users, presence] = await Promise.all([
      store.identity.usersIn(organisationId, ids),
      store.activity.listPresence(organisationId, ids),
    ]);
    const active = users.filter((u) => u.status === 'active' && u.role !== 'guest');
    const statuses = new Map(presence.map((p) => [p.userId, presenceView(p, now).status]));
    return {
      users: new Map(active.map((u) => [u.id, u])),
      status: (id) => statuses.get(id) ?? 'offline',
    };
  }
  /** Every skill listed in the organisation with who lists it, and those people (`people`). */
  async function skilled(organisationId: string) {
    const all = await store.experts.allSkills(organisationId);
    return {
      all,
      ...(await people(
        organisationId,
        all.map((s) => s.userId),
      )),
    };
  }

  /**
   * How a skill is shown when people spell it differently: as most of them do; on a tie, the
   * spelling with the most lower-case letters ("Customs" rather than "CUSTOMS").
   */
  const spellingOf = (spellings: readonly string[]): string => {
    const counts = new Map<string, number>();
    for (const s of spellings) counts.set(s, (counts.get(s) ?? 0) + 1);
    const lower = (s: string) => [...s].filter((c) => c !== c.toLocaleUpperCase('en')).length;
    return [...counts].sort(([a, n], [b, m]) => m - n || lower(b) - lower(a) || a.localeCompare(b))[0]?.[0] ?? '';
  };

  /** Who is rung: online, nothing else (not away, busy, in a meeting, presenting, on do not disturb). */
  const AVAILABLE: PresenceStatus = 'online';

  async function view(row: ExpertAskRow): Promise<ExpertAsk> {
    const concerned = [row.askedBy, ...row.rung, ...(row.answeredBy === null ? [] : [row.answeredBy])];
    const [users, meeting] = await Promise.all([
      store.identity.usersIn(row.organisationId, [...new Set(concerned)]),
      store.meetings.get(row.organisationId, row.meetingId),
    ]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const ref = (id: string) => ({ id, name: names.get(id) ?? 'Someone' });
    if (meeting === undefined) throw notFound('meeting');
    return {
      id: row.id,
      skill: row.skill,
      note: row.note,
      page: row.page,
      url: row.url,
      title: row.title,
      askedBy: ref(row.askedBy),
      rung: row.rung.map(ref),
      declined: [...row.declined],
      answeredBy: row.answeredBy === null ? null : ref(row.answeredBy),
      status: row.status,
      meeting: {
        id: meeting.id,
        joinCode: meeting.joinCode,
        joinUrl: meeting.joinUrl,
        webJoinUrl: meeting.webJoinUrl,
      },
      createdAt: row.createdAt,
      ringUntil: row.ringUntil,
      finishedAt: row.finishedAt,
    };
  }

  /** The ask as it now is, to everyone it rang, its asker, and everyone on its page. */
  async function announce(row: ExpertAskRow): Promise<ExpertAsk> {
    const ask = await view(row);
    realtime.toUsers(new Set([...row.rung, row.askedBy]), { type: 'expert.ask', ask });
    await toPage(row.organisationId, row.page, { type: 'ask', ask });
    return ask;
  }

  /** Ends an ask that still rings, and says so; false when something else ended it first. */
  async function end(
    row: ExpertAskRow,
    status: 'answered' | 'missed' | 'declined' | 'cancelled',
    answeredBy: string | null,
  ): Promise<boolean> {
    const now = nowIso();
    if (!(await store.experts.finish(row.organisationId, row.id, status, answeredBy, now))) return false;
    clearTimeout(timers.get(row.id));
    timers.delete(row.id);
    await announce({ ...row, status, answeredBy, finishedAt: now });
    return true;
  }

  /** The page's room: the one made for it before unless cancelled since, else a new meeting. */
  async function pageRoom(caller: Caller, grant: Pick<PageGrant, 'page' | 'title'>): Promise<Meeting> {
    const org = caller.user.organisationId;
    const kept = await store.experts.pageRoom(org, grant.page);
    const meeting = kept === undefined ? undefined : await store.meetings.get(org, kept);
    if (meeting !== undefined && meeting.status !== 'cancelled') return meeting;
    const made = await meetings.create(caller, { title: grant.title, settings: { lobby: false } });
    await store.experts.putPageRoom(org, grant.page, made.id);
    return made;
  }

  /** An ask the caller was rung for (another organisation's, or one that did not ring them, is not found). */
  async function rungFor(caller: Caller, askId: string): Promise<ExpertAskRow> {
    const row = await store.experts.ask(caller.user.organisationId, askId);
    if (row === undefined || !row.rung.includes(caller.user.id)) throw notFound('ask');
    return row;
  }

  const stillRinging = (row: ExpertAskRow): never => {
    throw conflict(
      row.status === 'answered'
        ? 'someone else answered this ask first'
        : `the ask is ${row.status}: it no longer rings`,
    );
  };

  return {
    /** The page's room for a member of the organisation (the Pages view's "join its room"). */
    async room(caller: Caller, place: Pick<PageGrant, 'page' | 'title'>): Promise<Meeting> {
      members(caller);
      return pageRoom(caller, place);
    },

    async mySkills(caller: Caller): Promise<SkillList> {
      members(caller);
      return { skills: await store.experts.skillsOf(caller.user.organisationId, caller.user.id) };
    },

    async setMySkills(caller: Caller, req: SetSkillsRequest): Promise<SkillList> {
      members(caller);
      await store.experts.setSkills(caller.user.organisationId, caller.user.id, req.skills);
      return { skills: await store.experts.skillsOf(caller.user.organisationId, caller.user.id) };
    },

    async directory(caller: Caller): Promise<SkillsDirectory> {
      members(caller);
      const org = caller.user.organisationId;
      const { all, users, status } = await skilled(org);
      const bySkill = new Map<string, { spellings: string[]; entry: SkillsDirectory['skills'][number] }>();
      for (const { userId, skill, key } of all) {
        const user = users.get(userId);
        if (user === undefined) continue;
        const at = bySkill.get(key) ?? { spellings: [], entry: { skill, people: [], available: 0 } };
        at.spellings.push(skill);
        at.entry.people.push({ id: user.id, name: user.name, status: status(user.id) });
        if (status(user.id) === AVAILABLE) at.entry.available += 1;
        bySkill.set(key, at);
      }
      return {
        skills: [...bySkill.values()].map(({ spellings, entry }) => ({ ...entry, skill: spellingOf(spellings) })),
      };
    },

    /** From a page: the skills one may ask for (others' only), each with how many would be rung now. */
    async forPage(caller: Caller): Promise<PageResults['skills']> {
      members(caller);
      const org = caller.user.organisationId;
      const { all, users, status } = await skilled(org);
      const bySkill = new Map<string, { spellings: string[]; available: number }>();
      for (const { userId, skill, key } of all) {
        if (userId === caller.user.id || !users.has(userId)) continue;
        const at = bySkill.get(key) ?? { spellings: [], available: 0 };
        at.spellings.push(skill);
        if (status(userId) === AVAILABLE) at.available += 1;
        bySkill.set(key, at);
      }
      return {
        skills: [...bySkill.values()].map(({ spellings, available }) => ({ skill: spellingOf(spellings), available })),
      };
    },

    /** Rings everyone available with the skill; refused when nobody is. */
    async ask(caller: Caller, grant: PageGrant, skill: string, note: string): Promise<ExpertAsk> {
      members(caller);
      const org = caller.user.organisationId;
      const holders = await store.experts.holders(org, skill);
      const { users, status } = await people(
        org,
        holders.map((h) => h.userId),
      );
      const rung = holders
        .map((h) => h.userId)
        .filter((id) => id !== caller.user.id && users.has(id) && status(id) === AVAILABLE);
      if (rung.length === 0) throw conflict(`nobody who lists “${skill}” is available now`);
      // As the people who list it spell it.
      const spelled = spellingOf(holders.map((h) => h.skill));
      const meeting = await pageRoom(caller, grant);
      const asked = note === '' ? '' : ` “${note}”`;
      await chat.send(caller, meeting.conversationId, {
        clientId: orderedId(),
        body: `${caller.user.name} asked for help with ${spelled} on ${grant.title}:${asked} ${grant.url}`,
      });
      const now = Date.now();
      const row = await store.experts.insertAsk({
        id: orderedId(),
        organisationId: org,
        askedBy: caller.user.id,
        skill: spelled,
        note,
        page: grant.page,
        url: grant.url,
        title: grant.title,
        meetingId: meeting.id,
        rung,
        createdAt: new Date(now).toISOString(),
        ringUntil: new Date(now + ringMs).toISOString(),
      });
      const timer = setTimeout(() => {
        void end(row, 'missed', null).catch((e: unknown) => log(`ask ${row.id} could not be called missed`, e));
      }, ringMs);
      timer.unref();
      timers.set(row.id, timer);
      await audit.byCaller(caller, 'page.expert_asked', {
        target: { kind: 'page', id: row.id, label: `${grant.title} · ${row.skill}` },
        detail: { skill: row.skill, rung: rung.length, url: grant.url },
      });
      return announce(row);
    },

    /** The first of those rung to answer wins; the others stop ringing. */
    async answer(caller: Caller, askId: string): Promise<ExpertAsk> {
      const row = await rungFor(caller, askId);
      if (row.status !== 'ringing' || !(await end(row, 'answered', caller.user.id))) {
        const now = await store.experts.ask(row.organisationId, row.id);
        return stillRinging(now ?? row);
      }
      await audit.byCaller(caller, 'page.expert_answered', {
        target: { kind: 'page', id: row.id, label: `${row.title} · ${row.skill}` },
        detail: { askedBy: row.askedBy },
      });
      const after = await store.experts.ask(row.organisationId, row.id);
      return view(after ?? row);
    },

    /** One of those rung says no; when all have, the ask is declined. */
    async decline(caller: Caller, askId: string): Promise<ExpertAsk> {
      const row = await rungFor(caller, askId);
      const after = await store.experts.decline(row.organisationId, row.id, caller.user.id);
      if (after === undefined) return stillRinging(row);
      if (row.rung.every((id) => after.declined.includes(id))) await end(after, 'declined', null);
      else await announce(after);
      return view((await store.experts.ask(row.organisationId, row.id)) ?? after);
    },

    /** From the page: its asker stops an ask that still rings. */
    async cancel(caller: Caller, grant: PageGrant, askId: string): Promise<ExpertAsk> {
      const row = await store.experts.ask(caller.user.organisationId, askId);
      if (row === undefined || row.askedBy !== caller.user.id || pageKeyString(row.page) !== pageKeyString(grant.page))
        throw notFound('ask');
      if (row.status !== 'ringing' || !(await end(row, 'cancelled', null))) return stillRinging(row);
      return view((await store.experts.ask(row.organisationId, row.id)) ?? row);
    },

    /** Asks whose time ran out on an instance that stopped: missed. */
    async sweep(): Promise<void> {
      for (const row of await store.experts.lapsed(nowIso())) await end(row, 'missed', null);
    },

    stop(): void {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}

export type ExpertService = ReturnType<typeof expertService>;
