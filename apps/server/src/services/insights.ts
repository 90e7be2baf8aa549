import type { Attendee, InsightsWeek, MeetingInsights, OrganisationInsights, TalkTime } from '@tandem/shared';
import type { Store, Utterance, Visit } from '../store/index.ts';
import { type Caller, isOrgAdmin } from './context.ts';
import { forbidden } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';

const DAY_MS = 86_400_000;
/** The most speakers the organisation's talk-time balance lists. */
const TOP_SPEAKERS = 12;

const spanOf = (from: string, to: string | null, now: number): number =>
  Math.max(0, (to === null ? now : Date.parse(to)) - Date.parse(from));

/** Each person's visits to one meeting as one line: first arrival, last departure, time in the call. */
export function attendanceOf(visits: readonly Visit[], nameOf: (userId: string) => string, now: number): Attendee[] {
  const by = new Map<string, Attendee>();
  for (const v of visits) {
    const seen = by.get(v.userId);
    const ms = spanOf(v.joinedAt, v.leftAt, now);
    by.set(
      v.userId,
      seen === undefined
        ? {
            userId: v.userId,
            name: nameOf(v.userId),
            firstJoinedAt: v.joinedAt,
            lastLeftAt: v.leftAt,
            totalMs: ms,
            visits: 1,
          }
        : {
            ...seen,
            firstJoinedAt: v.joinedAt < seen.firstJoinedAt ? v.joinedAt : seen.firstJoinedAt,
            // Still in the call on any visit: not left yet.
            lastLeftAt:
              seen.lastLeftAt === null || v.leftAt === null
                ? null
                : v.leftAt > seen.lastLeftAt
                  ? v.leftAt
                  : seen.lastLeftAt,
            totalMs: seen.totalMs + ms,
            visits: seen.visits + 1,
          },
    );
  }
  return [...by.values()].sort((a, b) => (a.firstJoinedAt < b.firstJoinedAt ? -1 : 1));
}

/** How long each speaker spoke, most first, with their share of all the speech. */
export function talkTimeOf(utterances: readonly Utterance[], nameOf: (userId: string) => string): TalkTime[] {
  const by = new Map<string, { userId: string | null; name: string; ms: number }>();
  let total = 0;
  for (const u of utterances) {
    const key = u.userId ?? `name:${u.name}`;
    const ms = spanOf(u.startedAt, u.endedAt, 0);
    total += ms;
    const seen = by.get(key) ?? { userId: u.userId, name: u.userId === null ? u.name : nameOf(u.userId), ms: 0 };
    by.set(key, { ...seen, ms: seen.ms + ms });
  }
  return [...by.values()]
    .sort((a, b) => b.ms - a.ms)
    .map((t) => ({ ...t, share: total === 0 ? 0 : Math.round((t.ms / total) * 1000) / 1000 }));
}

/** The Monday (UTC) of the week `at` falls in, as YYYY-MM-DD. */
export function weekStartOf(at: number): string {
  const day = new Date(at);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - sinceMonday))
    .toISOString()
    .slice(0, 10);
}

/** Meetings attended and people's hours in meetings, for each of the `weeks` weeks up to the current one. */
export function weeksOf(visits: readonly Visit[], weeks: number, now: number): InsightsWeek[] {
  const first = Date.parse(weekStartOf(now)) - (weeks - 1) * 7 * DAY_MS;
  const rows = Array.from({ length: weeks }, (_, i) => ({
    weekStart: new Date(first + i * 7 * DAY_MS).toISOString().slice(0, 10),
    meetings: new Set<string>(),
    ms: 0,
  }));
  for (const v of visits) {
    const i = Math.floor((Date.parse(v.joinedAt) - first) / (7 * DAY_MS));
    const row = rows[i];
    if (row === undefined) continue;
    row.meetings.add(v.meetingId);
    row.ms += spanOf(v.joinedAt, v.leftAt, now);
  }
  return rows.map((r) => ({
    weekStart: r.weekStart,
    meetings: r.meetings.size,
    hours: Math.round((r.ms / 3_600_000) * 100) / 100,
  }));
}

/**
 * Meeting insights: a meeting's attendance and talk time to those with standing in it (like its
 * transcript); the organisation's weeks and talk-time balance to its owners and admins.
 */
export function insightsService(store: Store, access: MeetingAccess) {
  /** Names for the people the visits and utterances are of (their accounts only, not the organisation's). */
  async function namer(
    organisationId: string,
    visits: readonly Visit[],
    utterances: readonly Utterance[],
  ): Promise<(userId: string) => string> {
    const ids = new Set(visits.map((v) => v.userId));
    for (const u of utterances) if (u.userId !== null) ids.add(u.userId);
    const names = new Map((await store.identity.usersIn(organisationId, [...ids])).map((u) => [u.id, u.name]));
    return (userId) => names.get(userId) ?? 'Someone';
  }

  return {
    async meeting(caller: Caller, meetingId: string): Promise<MeetingInsights> {
      const m = await access.meeting(caller, meetingId);
      const [visits, utterances] = await Promise.all([
        store.insights.visitsOf(m.organisationId, m.id),
        store.insights.utterancesOf(m.organisationId, m.id),
      ]);
      const nameOf = await namer(m.organisationId, visits, utterances);
      return {
        meetingId: m.id,
        attendance: attendanceOf(visits, nameOf, Date.now()),
        talkTime: talkTimeOf(utterances, nameOf),
      };
    },

    async organisation(caller: Caller, weeks: number): Promise<OrganisationInsights> {
      if (!isOrgAdmin(caller)) throw forbidden("only owners and admins see the organisation's insights");
      const org = caller.user.organisationId;
      const now = Date.now();
      const since = new Date(Date.parse(weekStartOf(now)) - (weeks - 1) * 7 * DAY_MS).toISOString();
      const [visits, utterances] = await Promise.all([
        store.insights.visitsSince(org, since),
        store.insights.utterancesSince(org, since),
      ]);
      const nameOf = await namer(org, visits, utterances);
      return { weeks: weeksOf(visits, weeks, now), talkTime: talkTimeOf(utterances, nameOf).slice(0, TOP_SPEAKERS) };
    },
  };
}

export type InsightsService = ReturnType<typeof insightsService>;
