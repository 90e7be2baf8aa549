import {
  searchWords,
  type DecisionStatus,
  type ParticipantSuggestion,
  type ParticipantSuggestions,
  type SuggestionReason,
} from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { Caller } from './context.ts';
import { forbidden } from './errors.ts';

/** How far back attendance counts: who usually attends is who attended lately. */
const LOOKBACK_DAYS = 180;
/** How many decisions count, those changed last: who owns what was decided lately. */
const LATEST_DECISIONS = 2_000;
/** Owning an open decision on the topic weighs more than one meeting attended about it. */
const DECISION_WEIGHT = 1.5;
/** Decisions nobody has to act on any more. */
const CLOSED: ReadonlySet<DecisionStatus> = new Set(['done', 'dropped']);

/** Words that say nothing about a meeting's topic, in the languages the app speaks. */
const STOP_WORDS = new Set(
  (
    'the and for with from about into our your this that meeting meetings call sync weekly daily monthly review ' +
    'update updates team chat und der die das mit für von zum zur ein eine einer besprechung treffen ' +
    'の と は を 会議 定例'
  ).split(' '),
);

/** A title's topic: its words, without case, short and stop words and numbers left out, once each. */
export function topicWords(title: string): string[] {
  const words = searchWords(title.toLowerCase()).filter(
    (w) => !STOP_WORDS.has(w) && !/^\d+$/.test(w) && (w.length >= 3 || /[^\p{Script=Latin}]/u.test(w)),
  );
  return [...new Set(words)];
}

/** The same topic word: equal, or (both of four letters or more) one begins the other: budget, budgets. */
const sameWord = (a: string, b: string): boolean =>
  a === b || (a.length >= 4 && b.length >= 4 && (a.startsWith(b) || b.startsWith(a)));

/** The topic's words found in the title's. */
function shared(topic: readonly string[], title: string): string[] {
  const words = topicWords(title);
  return topic.filter((t) => words.some((w) => sameWord(t, w)));
}

export type RankInput = {
  readonly topic: string;
  /** Meetings held lately, each with the people who attended it. */
  readonly meetings: readonly { readonly title: string; readonly attendees: readonly string[] }[];
  readonly decisions: readonly {
    readonly title: string;
    readonly ownerId: string | null;
    readonly status: DecisionStatus;
  }[];
  /** Who may be suggested (active members of the organisation), by id. */
  readonly people: ReadonlyMap<string, string>;
  /** Never suggested: the person planning. */
  readonly exclude: ReadonlySet<string>;
  readonly limit: number;
};

/**
 * Ranks who to invite to a meeting on `topic`: each recent meeting whose title shares topic words
 * counts for its attendees by the share of the topic it covers, each open decision sharing words
 * counts for its owner (more), and the people with the most are first (ties by name). Each comes
 * with the reasons it scored.
 */
export function rankParticipants(input: RankInput): ParticipantSuggestion[] {
  const topic = topicWords(input.topic);
  if (topic.length === 0) return [];
  type Tally = {
    score: number;
    meetings: number;
    words: Map<string, number>;
    decisions: number;
    best: [number, string];
  };
  const tallies = new Map<string, Tally>();
  const tally = (userId: string): Tally | null => {
    if (!input.people.has(userId) || input.exclude.has(userId)) return null;
    let t = tallies.get(userId);
    if (t === undefined) {
      t = { score: 0, meetings: 0, words: new Map(), decisions: 0, best: [0, ''] };
      tallies.set(userId, t);
    }
    return t;
  };
  for (const meeting of input.meetings) {
    const words = shared(topic, meeting.title);
    if (words.length === 0) continue;
    for (const userId of new Set(meeting.attendees)) {
      const t = tally(userId);
      if (t === null) continue;
      t.score += words.length / topic.length;
      t.meetings += 1;
      for (const w of words) t.words.set(w, (t.words.get(w) ?? 0) + 1);
    }
  }
  for (const decision of input.decisions) {
    if (decision.ownerId === null || CLOSED.has(decision.status)) continue;
    const words = shared(topic, decision.title);
    if (words.length === 0) continue;
    const t = tally(decision.ownerId);
    if (t === null) continue;
    const weight = words.length / topic.length;
    t.score += DECISION_WEIGHT * weight;
    t.decisions += 1;
    if (weight > t.best[0]) t.best = [weight, decision.title];
  }
  return [...tallies.entries()]
    .map(([id, t]): ParticipantSuggestion => {
      const reasons: SuggestionReason[] = [];
      if (t.decisions > 0) reasons.push({ kind: 'decisionOwner', count: t.decisions, decisionTitle: t.best[1] });
      if (t.meetings > 0) {
        const words = [...t.words.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
        reasons.push({ kind: 'attended', count: t.meetings, topic: words });
      }
      return { user: { id, name: input.people.get(id) ?? id }, score: Math.round(t.score * 1000) / 1000, reasons };
    })
    .sort((a, b) => b.score - a.score || a.user.name.localeCompare(b.user.name))
    .slice(0, input.limit);
}

/** Participant suggestions for the meeting form: members only, from their organisation's own records. */
export function participantSuggestionService(store: Store) {
  return {
    async suggest(caller: Caller, topic: string, limit: number, now = Date.now()): Promise<ParticipantSuggestions> {
      if (caller.user.role === 'guest') throw forbidden('guests cannot see who to invite');
      const organisationId = caller.user.organisationId;
      const since = new Date(now - LOOKBACK_DAYS * 86_400_000).toISOString();
      const [attendance, decisions] = await Promise.all([
        store.insights.attendeesSince(organisationId, since),
        store.decisions.latest(organisationId, LATEST_DECISIONS),
      ]);
      // Only those who attended or own a decision can be suggested: their accounts, not everyone's.
      const candidates = new Set(attendance.map((row) => row.userId));
      for (const d of decisions) if (d.ownerId !== null) candidates.add(d.ownerId);
      const users = await store.identity.usersIn(organisationId, [...candidates]);
      const meetings = new Map<string, { title: string; attendees: string[] }>();
      for (const row of attendance) {
        const m = meetings.get(row.meetingId) ?? { title: row.title, attendees: [] };
        m.attendees.push(row.userId);
        meetings.set(row.meetingId, m);
      }
      const people = new Map(
        users.filter((u) => u.role !== 'guest' && u.status === 'active').map((u) => [u.id, u.name] as const),
      );
      return {
        suggestions: rankParticipants({
          topic,
          meetings: [...meetings.values()],
          decisions,
          people,
          exclude: new Set([caller.user.id]),
          limit,
        }),
      };
    },
  };
}

export type ParticipantSuggestionService = ReturnType<typeof participantSuggestionService>;
