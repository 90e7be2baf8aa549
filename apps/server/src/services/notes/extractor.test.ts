import { describe, expect, it } from 'vitest';
import type { TranscriptSegment } from '@tandem/shared';
import { dueDateIn, extractNotes, summaryOf, zoneOffsetMinutes } from './extractor.ts';
import { resolvePerson } from './people.ts';
import type { NotesInput } from './provider.ts';

const ADA = { id: '00000000-0000-4000-8000-00000000000a', name: 'Ada Lovelace' };
const GRACE = { id: '00000000-0000-4000-8000-00000000000b', name: 'Grace Hopper' };
const ALAN = { id: '00000000-0000-4000-8000-00000000000c', name: 'Alan Turing' };
const PEOPLE = [ADA, GRACE, ALAN];

/** Thursday 3 December 2026, 10:00 UTC. */
const THURSDAY = Date.parse('2026-12-03T10:00:00Z');

let next = 0;
function said(who: { id: string; name: string }, text: string, at = THURSDAY): TranscriptSegment {
  next += 1;
  return {
    id: `00000000-0000-4000-9000-${String(next).padStart(12, '0')}`,
    meetingId: '00000000-0000-4000-8000-0000000000ff',
    speaker: { userId: who.id, name: who.name },
    startedAt: new Date(at).toISOString(),
    endedAt: new Date(at + 4000).toISOString(),
    text,
  };
}

const input = (segments: TranscriptSegment[], timeZone = 'UTC'): NotesInput => ({
  meetingTitle: 'Budget',
  segments,
  people: PEOPLE,
  timeZone,
});

const itemsOf = (...segments: TranscriptSegment[]) => extractNotes(input(segments)).items;

describe('the notes extractor', () => {
  it("proposes the issue's sentence as Grace's action item due that Friday, with its evidence", () => {
    const segment = said(ADA, 'Grace, please send the budget by Friday.');
    expect(itemsOf(segment)).toEqual([
      {
        kind: 'action',
        title: 'Send the budget',
        owner: { name: 'Grace Hopper', userId: GRACE.id },
        dueDate: '2026-12-04',
        segmentIds: [segment.id],
      },
    ]);
  });

  it.each([
    ['Grace, could you send the budget by Friday?', GRACE, 'Send the budget', '2026-12-04'],
    ['Grace, can you please review the contract by next Tuesday?', GRACE, 'Review the contract', '2026-12-08'],
    ['Alan: please book the room for tomorrow.', ALAN, 'Book the room for', null],
    ['Could Alan update the roadmap by December 10?', ALAN, 'Update the roadmap', '2026-12-10'],
    ['Grace will draft the press release by Monday.', GRACE, 'Draft the press release', '2026-12-07'],
    ['Alan is going to call the vendor.', ALAN, 'Call the vendor', null],
    ['Grace to circulate the minutes.', GRACE, 'Circulate the minutes', null],
    ['Grace, send the figures by Friday.', GRACE, 'Send the figures', '2026-12-04'],
    ['Hopper, please check the numbers in two weeks.', GRACE, 'Check the numbers', '2026-12-17'],
  ])('reads a request or a promise for someone named: %s', (text, who, title, due) => {
    const [item, ...rest] = itemsOf(said(ADA, text));
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ kind: 'action', owner: { userId: who.id }, title });
    if (due !== null) expect(item?.dueDate).toBe(due);
  });

  it('reads "tomorrow" as a due date', () => {
    expect(itemsOf(said(ADA, 'Alan, please book the room by tomorrow.'))[0]).toMatchObject({
      title: 'Book the room',
      dueDate: '2026-12-04',
    });
  });

  it.each([
    ["I'll send the slides by Monday.", 'Send the slides', '2026-12-07'],
    ['I will call the vendor on Monday.', 'Call the vendor', '2026-12-07'],
    ["I'm going to write up the notes tomorrow.", 'Write up the notes', '2026-12-04'],
    ["OK, I'll take care of the invoices.", 'Take care of the invoices', null],
  ])('gives a commitment to its speaker: %s', (text, title, due) => {
    expect(itemsOf(said(ALAN, text))).toEqual([
      expect.objectContaining({ kind: 'action', title, owner: { name: ALAN.name, userId: ALAN.id }, dueDate: due }),
    ]);
  });

  it.each([
    ['We decided to move the launch to March.', 'Move the launch to March'],
    ["We've agreed that the budget stays at 40k.", 'The budget stays at 40k'],
    ["Let's go with the blue design.", 'Go with the blue design'],
    ['So we agreed on weekly check-ins.', 'Weekly check-ins'],
    ['Decision: the beta opens to everyone.', 'The beta opens to everyone'],
    ["It's agreed that Grace leads the review.", 'Grace leads the review'],
  ])('proposes a decision: %s', (text, title) => {
    expect(itemsOf(said(GRACE, text))).toEqual([
      expect.objectContaining({ kind: 'decision', title, owner: null, dueDate: null }),
    ]);
  });

  it.each([
    "We haven't decided on the venue yet.",
    "We didn't agree on anything.",
    'Did we decide to move the launch?',
    'If we decided to move it, marketing would need to know.',
    "I'll think about it.",
    "I'll see.",
    "I'll do it.",
    'Let me know what you think.',
    "I won't be able to send it by Friday.",
    'Maybe I will call them next week.',
    'Thanks, please send it over whenever.',
    'Could you send the budget by Friday?',
    'It will rain on Friday.',
    'The report will be ready by Friday.',
    'Everyone, please fill in the survey.',
    'Grace sent the budget last Friday.',
    'We need to decide on the budget.',
    'I think we agreed to wait.',
    'Grace, the budget looks fine.',
  ])('proposes nothing for: %s', (text) => {
    expect(itemsOf(said(ADA, text))).toEqual([]);
  });

  it('keeps an owner who is not in the meeting as heard, unresolved, rather than guessing', () => {
    expect(itemsOf(said(ADA, 'Margaret, please send the logs by Friday.'))).toEqual([
      expect.objectContaining({ owner: { name: 'Margaret', userId: null }, dueDate: '2026-12-04' }),
    ]);
  });

  it('reads several sentences of one segment, and merges the same item said twice', () => {
    const first = said(ADA, 'Grace, please send the budget by Friday. We decided to keep the vendor.');
    const again = said(GRACE, 'Grace will send the budget.', THURSDAY + 60_000);
    const items = itemsOf(first, again);
    expect(items).toEqual([
      expect.objectContaining({ kind: 'action', title: 'Send the budget', segmentIds: [first.id, again.id] }),
      expect.objectContaining({ kind: 'decision', title: 'Keep the vendor' }),
    ]);
  });

  it("reads the day in the meeting's time zone, relative to when it was said", () => {
    // Thursday 23:30 UTC is already Friday morning in Tokyo: "by Friday" is the next one there.
    const late = Date.parse('2026-12-03T23:30:00Z');
    const segment = said(ADA, 'Grace, please send the budget by Friday.', late);
    expect(extractNotes(input([segment], 'UTC')).items[0]?.dueDate).toBe('2026-12-04');
    expect(extractNotes(input([segment], 'Asia/Tokyo')).items[0]?.dueDate).toBe('2026-12-11');
    expect(extractNotes(input([segment], 'America/Los_Angeles')).items[0]?.dueDate).toBe('2026-12-04');
  });

  it('takes a named day only: a month alone or a time of day is no due date', () => {
    const at = new Date(THURSDAY);
    expect(dueDateIn('send it by Friday', at, 'UTC')).toEqual({ date: '2026-12-04', words: 'by Friday' });
    expect(dueDateIn('ship it in March', at, 'UTC')).toBeNull();
    expect(dueDateIn('call at 3pm', at, 'UTC')).toBeNull();
    expect(zoneOffsetMinutes('Asia/Tokyo', at)).toBe(540);
    expect(zoneOffsetMinutes('America/New_York', at)).toBe(-300);
  });

  it('summarises by who spoke most and what they first said', () => {
    const summary = summaryOf([
      said(ADA, 'Hello. Today we look at the budget for next year.'),
      said(GRACE, 'Yes. I have the numbers from finance with me.'),
      said(ADA, 'Good.'),
    ]);
    expect(summary).toContain('Ada Lovelace, Grace Hopper spoke most');
    expect(summary).toContain('Ada Lovelace: “Today we look at the budget for next year.”');
    expect(summary).toContain('Grace Hopper: “I have the numbers from finance with me.”');
    expect(summaryOf([])).toBe('Nothing was transcribed in this meeting.');
  });
});

describe('owner resolution', () => {
  it('matches a whole, first or last name, without case or accents', () => {
    expect(resolvePerson('grace hopper', PEOPLE)).toBe(GRACE);
    expect(resolvePerson('Grace', PEOPLE)).toBe(GRACE);
    expect(resolvePerson('Turing', PEOPLE)).toBe(ALAN);
    expect(resolvePerson('Zoe', [{ id: ADA.id, name: 'Zoë Keller' }])?.id).toBe(ADA.id);
  });

  it('answers nobody for an unknown or ambiguous name', () => {
    expect(resolvePerson('Margaret', PEOPLE)).toBeNull();
    expect(resolvePerson('Grace', [...PEOPLE, { id: 'x', name: 'Grace Kelly' }])).toBeNull();
    expect(resolvePerson('', PEOPLE)).toBeNull();
  });
});
