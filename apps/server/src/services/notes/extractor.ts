import * as chrono from 'chrono-node';
import type { TranscriptSegment } from '@tandem/shared';
import type { NotesInput, NotesProvider, ProposedItem, ProposedNotes } from './provider.ts';
import { resolvePerson } from './people.ts';

/**
 * The default notes provider: deterministic rules over the transcript, no model. It reads each
 * sentence of each segment for three shapes of speech and nothing else:
 *
 * - a request to a named person of the meeting ("Grace, please send the budget by Friday",
 *   "Grace, could you …", "Grace will …", "Grace to …"): an action item for that person;
 * - a commitment ("I'll …", "I will …", "I'm going to …", "I can take …"): an action item for the speaker;
 * - a decision ("we decided …", "we agreed …", "agreed that …", "let's go with …", "decision: …").
 *
 * Questions, negations ("we haven't decided"), conditions ("if …") and hedges ("I'll think about
 * it") produce nothing: an item missed is cheaper than an item invented, and every item is
 * confirmed by a person before it counts. Due dates are read by chrono-node relative to when the
 * sentence was said, in the meeting's time zone, and only when a day is named ("Friday",
 * "tomorrow", "December 10", "in two weeks"); a month alone is not a due date.
 */
export function extractorProvider(): NotesProvider {
  return { name: 'extractor', propose: async (input) => extractNotes(input) };
}

/** Words that open a sentence with a comma but never name who is asked ("Thanks, please …"). */
const NOT_A_NAME = new Set(
  [
    'thanks',
    'thank',
    'ok',
    'okay',
    'so',
    'well',
    'yes',
    'yeah',
    'no',
    'right',
    'alright',
    'also',
    'and',
    'but',
    'now',
    'sorry',
    'hi',
    'hello',
    'great',
    'sure',
    'actually',
    'anyway',
    'everyone',
    'everybody',
    'guys',
    'folks',
    'team',
    'someone',
    'somebody',
    'anyone',
    'anybody',
    'please',
    'then',
    'first',
    'finally',
    'oh',
    'look',
    'listen',
    'i',
    'we',
    'you',
    'they',
  ].map((w) => w.toLowerCase()),
);

/** Verbs after "I'll" that promise nothing ("I'll think about it", "I'll see"). */
const HEDGES = new Set([
  'be',
  'see',
  'think',
  'try',
  'guess',
  'say',
  'admit',
  'bet',
  'wait',
  'pass',
  'leave',
  'stop',
  'know',
]);

/** A title of a verb and only these words promises nothing in particular ("Do it"). */
const VAGUE = new Set(['it', 'that', 'this', 'so', 'one', 'them', 'too', 'then', 'there', 'now']);

const NAME = String.raw`\p{Lu}[\p{L}'’-]*(?:\s\p{Lu}[\p{L}'’-]*)?`;

/** "Grace, please send …", "Grace, could you send …", "Grace: can you …", "Grace, send … by Friday". */
const ASKED = new RegExp(
  String.raw`^(?<name>${NAME})\s*[,:]\s*(?<polite>(?:please\s+)?(?:could|can|would|will)\s+you\s+(?:please\s+)?|please\s+)?(?<task>.+)$`,
  'u',
);
/** "Please can Grace send …", "Could Grace send …". */
const ASKED_AFTER = new RegExp(
  String.raw`^(?:[Pp]lease\s+)?(?:[Cc]ould|[Cc]an|[Ww]ould|[Ww]ill)\s+(?<name>${NAME})\s+(?:please\s+)?(?<task>.+)$`,
  'u',
);
/** "Grace will send …", "Grace is going to send …", "Grace to send …" (the name must be someone's of the meeting). */
const WILL = new RegExp(
  String.raw`^(?<name>${NAME})\s+(?:will|shall|is going to|'ll|’ll|to|has agreed to|agreed to)\s+(?<task>.+)$`,
  'u',
);
/** "I'll send …", "I will send …", "I'm going to …", "I can take …", "Let me …" after a start like "OK,". */
const SELF =
  /^(?:i\s*['’]ll|i will|i shall|i am going to|i['’]m going to|i can take care of|i['’]ll take care of|let me)\s+(?<task>.+)$/iu;
/** "We decided to …", "We've agreed that …", "It's agreed: …", "Let's go with …", "Decision: …". */
const DECIDED =
  /^(?:so\s+|ok(?:ay)?\s*,?\s+|then\s+|right\s*,?\s+)?(?:(?:we(?:\s+have|['’]ve)?\s+(?:decided|agreed)(?:\s+(?:to|that|on))?)|(?:it\s+is|it['’]s)\s+(?:decided|agreed)(?:\s+that)?|(?:agreed|decided|decision)\s*[:,-]|agreed(?:\s+(?:to|that|on))|(?:let['’]s|let us|we['’]ll|we will|we are going to|we['’]re going to)\s+go\s+with)\s*(?<what>.+)$/iu;
const GOES_WITH = /\bgo\s+with\b/iu;

/** Words that turn a sentence into a non-commitment wherever they are. */
const NEGATED =
  /\b(?:not|never|no longer|won['’]t|can['’]t|cannot|don['’]t|didn['’]t|haven['’]t|hasn['’]t|isn['’]t|aren['’]t|wasn['’]t|shouldn['’]t|wouldn['’]t)\b/iu;
const CONDITIONAL =
  /^(?:if|unless|maybe|perhaps|probably|i think|i guess|i hope|hopefully|when)\b|\b(?:if|unless|maybe|perhaps|might)\b/iu;

/** Sentences of a segment: split after ., ! or ? followed by a space (so "3.5" stays whole). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Minutes to add to UTC to get the zone's wall clock at `at` (what chrono-node takes as a reference zone). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** What chrono-node reads as "now" but people say about other things ("circulate the minutes"). */
const NOT_A_DAY = /^(?:the\s+|a\s+)?(?:minutes?|seconds?|hours?|moment|now)$/iu;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The first day named in `text` said at `at`, in `timeZone`, as YYYY-MM-DD, and the words that
 * named it (with a leading "by", "on", "before", "until" or "no later than"); null when no day is named.
 */
export function dueDateIn(text: string, at: Date, timeZone: string): { date: string; words: string } | null {
  const found = chrono.parse(text, { instant: at, timezone: zoneOffsetMinutes(timeZone, at) }, { forwardDate: true });
  for (const r of found) {
    if (!r.start.isCertain('day') && !r.start.isCertain('weekday')) continue;
    if (NOT_A_DAY.test(r.text)) continue;
    const date = `${r.start.get('year')}-${pad(r.start.get('month') ?? 1)}-${pad(r.start.get('day') ?? 1)}`;
    const before = text.slice(0, r.index);
    const lead = /(?:\b(?:by|on|before|until|till|no later than|at the latest by)\s+(?:the\s+)?)$/iu.exec(before);
    const start = lead === null ? r.index : r.index - lead[0].length;
    return { date, words: text.slice(start, r.index + r.text.length) };
  }
  return null;
}

/** The task as a title: the date words taken out, politeness and end punctuation trimmed, capitalised. */
function titleOf(task: string, dateWords: string | null): string | null {
  let t = dateWords === null ? task : task.replace(dateWords, ' ');
  t = t
    .replace(/\s+/gu, ' ')
    .replace(/[\s,;:]*(?:please|for me|for us|thanks|thank you)?[\s,;:]*[.!?…]*$/iu, '')
    .replace(/^(?:please\s+|also\s+|then\s+)/iu, '')
    .replace(/[\s,;:-]+$/u, '')
    .trim();
  if (t.length < 2) return null;
  const words = t.toLowerCase().split(' ');
  if (words.slice(1).every((w) => VAGUE.has(w.replace(/[^\p{L}]/gu, '')))) return null;
  const title = t.charAt(0).toUpperCase() + t.slice(1);
  return title.length > 200 ? `${title.slice(0, 199)}…` : title;
}

type Heard = { readonly segment: TranscriptSegment; readonly sentence: string };

function actionFor(
  heard: Heard,
  task: string,
  owner: ProposedItem['owner'],
  timeZone: string,
  requireDate: boolean,
): ProposedItem | null {
  const due = dueDateIn(task, new Date(heard.segment.startedAt), timeZone);
  if (requireDate && due === null) return null;
  const title = titleOf(task, due?.words ?? null);
  if (title === null) return null;
  return { kind: 'action', title, owner, dueDate: due?.date ?? null, segmentIds: [heard.segment.id] };
}

/** The one item a sentence proposes, if any. */
export function itemOf(heard: Heard, input: Pick<NotesInput, 'people' | 'timeZone'>): ProposedItem | null {
  const s = heard.sentence.replace(/^(?:and|so|also|then|ok(?:ay)?|right|alright|well)\s*,?\s+/iu, '').trim();
  const question = s.endsWith('?');
  if (NEGATED.test(s)) return null;

  const decided = DECIDED.exec(s);
  if (decided?.groups !== undefined) {
    if (question || CONDITIONAL.test(s)) return null;
    const what = decided.groups['what'] ?? '';
    const trigger = decided[0].slice(0, decided[0].length - what.length);
    const title = titleOf(GOES_WITH.test(trigger) ? `go with ${what}` : what, null);
    return title === null
      ? null
      : { kind: 'decision', title, owner: null, dueDate: null, segmentIds: [heard.segment.id] };
  }

  // A question asks someone ("Grace, could you …?"): a request, when it names who is asked.
  const asked = ASKED.exec(s);
  const askedAfter = asked === null ? ASKED_AFTER.exec(s) : null;
  const request = asked ?? askedAfter;
  if (request?.groups !== undefined && !CONDITIONAL.test(s)) {
    const name = request.groups['name'] ?? '';
    const person = resolvePerson(name, input.people);
    const polite = askedAfter !== null || (request.groups['polite'] ?? '') !== '';
    // Without "please" or "could you", only a person of the meeting and a named day make it a request.
    if (!NOT_A_NAME.has(name.split(/\s/u)[0]?.toLowerCase() ?? '') && (polite || person !== null)) {
      const owner = { name: person?.name ?? name, userId: person?.id ?? null };
      const item = actionFor(heard, request.groups['task'] ?? '', owner, input.timeZone, !polite);
      if (item !== null) return item;
    }
  }
  if (question) return null;

  const will = WILL.exec(s);
  if (will?.groups !== undefined) {
    const person = resolvePerson(will.groups['name'] ?? '', input.people);
    if (person !== null && !CONDITIONAL.test(s))
      return actionFor(
        heard,
        will.groups['task'] ?? '',
        { name: person.name, userId: person.id },
        input.timeZone,
        false,
      );
  }

  const self = SELF.exec(s);
  if (self?.groups !== undefined && !CONDITIONAL.test(s)) {
    const task = self.groups['task'] ?? '';
    const verb = task.split(/\s/u)[0]?.toLowerCase() ?? '';
    if (HEDGES.has(verb)) return null;
    return actionFor(
      heard,
      task,
      { name: heard.segment.speaker.name, userId: heard.segment.speaker.userId },
      input.timeZone,
      false,
    );
  }
  return null;
}

/** Each speaker's talk time, most first. */
function talkTime(segments: readonly TranscriptSegment[]): { name: string; ms: number }[] {
  const by = new Map<string, { name: string; ms: number }>();
  for (const s of segments) {
    const key = s.speaker.userId ?? `name:${s.speaker.name}`;
    const entry = by.get(key) ?? { name: s.speaker.name, ms: 0 };
    entry.ms += Math.max(0, Date.parse(s.endedAt) - Date.parse(s.startedAt));
    by.set(key, entry);
  }
  return [...by.values()].sort((a, b) => b.ms - a.ms);
}

/**
 * The summary the extractor can honestly give: who spoke most, and the first substantial
 * sentence (five words or more) each of the main speakers said, as they said it.
 */
export function summaryOf(segments: readonly TranscriptSegment[]): string {
  if (segments.length === 0) return 'Nothing was transcribed in this meeting.';
  const speakers = talkTime(segments).slice(0, 3);
  const minutes = Math.max(1, Math.round(talkTime(segments).reduce((n, s) => n + s.ms, 0) / 60_000));
  const lines = [`${speakers.map((s) => s.name).join(', ')} spoke most (about ${minutes} min of speech).`];
  for (const speaker of speakers) {
    const first = segments
      .filter((s) => s.speaker.name === speaker.name)
      .flatMap((s) => sentences(s.text))
      .find((s) => s.split(/\s+/u).length >= 5);
    if (first !== undefined) lines.push(`${speaker.name}: “${first}”`);
  }
  return lines.join('\n');
}

/** Items that say the same thing (kind, owner, title) are one item with all their evidence. */
function merged(items: readonly ProposedItem[]): ProposedItem[] {
  const out = new Map<string, ProposedItem>();
  for (const item of items) {
    const key = `${item.kind}|${item.owner?.userId ?? item.owner?.name ?? ''}|${item.title.toLowerCase()}`;
    const seen = out.get(key);
    out.set(
      key,
      seen === undefined
        ? item
        : {
            ...seen,
            dueDate: seen.dueDate ?? item.dueDate,
            segmentIds: [...new Set([...seen.segmentIds, ...item.segmentIds])],
          },
    );
  }
  return [...out.values()];
}

export function extractNotes(input: NotesInput): ProposedNotes {
  const items = input.segments.flatMap((segment) =>
    sentences(segment.text).flatMap((sentence) => {
      const item = itemOf({ segment, sentence }, input);
      return item === null ? [] : [item];
    }),
  );
  return { summary: summaryOf(input.segments), items: merged(items) };
}
