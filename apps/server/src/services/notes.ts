import {
  LIMITS,
  recordingAt,
  type ConfirmNoteItemRequest,
  type ConfirmNoteItemResult,
  type DecisionMoment,
  type GenerateNotesRequest,
  type Meeting,
  type MeetingNotes,
  type NoteEvidence,
  type NoteItem,
  type TranscriptSegment,
  type User,
} from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import type { ChatService } from './chat.ts';
import { type Caller, newId, nowIso } from './context.ts';
import type { DecisionService } from './decisions.ts';
import { conflict, forbidden, found } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import { extractorProvider } from './notes/extractor.ts';
import { llmProvider, withFallback, type NotesLlmSettings } from './notes/llm.ts';
import { resolvePerson } from './notes/people.ts';
import type { MeetingPerson, NotesInput, ProposedItem } from './notes/provider.ts';
import type { OrganisationSettingsService } from './organisationSettings.ts';
import type { Log } from './realtime.ts';

export type { NotesLlmSettings } from './notes/llm.ts';

/** How much longer than the model's timeout an instance holds the notes it is making. */
const CLAIM_MARGIN_MS = 60_000;
/** Meetings whose notes one run of `makeDue` makes at most, one after the other. */
const DUE_AT_ONCE = 20;
/** Waits before trying notes again after each failure; after the last, they are given up. */
const RETRY_MS = [30_000, 120_000, 600_000];

/** What notes need from the composition root: the language model IT configured, if any. */
export type NotesSetup = { readonly llm: NotesLlmSettings | null };

/**
 * What a person already decided about the same item in the meeting's previous notes (same kind,
 * said in one of the same segments): notes made again (the last words transcribed after a host
 * ended the meeting, or asked for) keep confirmations and dismissals instead of proposing again.
 */
function decidedBefore(
  previous: MeetingNotes | undefined,
  item: ProposedItem,
): Pick<NoteItem, 'status' | 'decisionId' | 'decidedBy' | 'decidedAt'> {
  const same = previous?.items.find(
    (p) =>
      p.status !== 'proposed' && p.kind === item.kind && p.evidence.some((e) => item.segmentIds.includes(e.segmentId)),
  );
  return same === undefined
    ? { status: 'proposed', decisionId: null, decidedBy: null, decidedAt: null }
    : { status: same.status, decisionId: same.decisionId, decidedBy: same.decidedBy, decidedAt: same.decidedAt };
}

const quoteOf = (e: NoteEvidence): string => `“${e.text}” (${e.speaker.name})`;

/**
 * Meeting notes (issue 14): when a meeting ends (its host ends it, or its room empties) and when
 * someone in it asks, the transcript becomes a summary and proposed decisions and action items,
 * each carrying its evidence (the segments it came from, and the recording's offset when one
 * covers them). They come from the organisation's model when IT configured one, validated, and
 * from the deterministic extractor otherwise or when the model fails. The notes are posted to the
 * meeting's chat. Nothing proposed is a decision: a person confirms an item (it is recorded through
 * the decisions service, linked to its moment) or dismisses it; both are audited.
 */
export function notesService(
  store: Store,
  access: MeetingAccess,
  decisions: DecisionService,
  chat: ChatService,
  organisation: OrganisationSettingsService,
  audit: AuditService,
  setup: NotesSetup,
  log: Log,
) {
  const extractor = extractorProvider();
  const provider =
    setup.llm === null
      ? { propose: async (input: NotesInput) => ({ ...(await extractor.propose(input)), provider: extractor.name }) }
      : withFallback(llmProvider(setup.llm), extractor, (e) =>
          log('the notes model failed; the extractor made the notes instead', e),
        );
  /** Meetings whose notes are being made: a second request waits for the same notes. */
  const making = new Map<string, Promise<MeetingNotes>>();

  /** The owner, the invitees, whoever attended and whoever spoke: an item is given to one of them or to nobody. */
  async function peopleOf(m: Meeting, segments: readonly TranscriptSegment[]): Promise<MeetingPerson[]> {
    const ids = new Set<string>([m.ownerId, ...m.invitees]);
    for (const a of await store.activity.attendance(m.id)) if (a.userId !== null) ids.add(a.userId);
    for (const s of segments) if (s.speaker.userId !== null) ids.add(s.speaker.userId);
    const users = await store.identity.usersIn(m.organisationId, [...ids]);
    return users.map((u) => ({ id: u.id, name: u.name }));
  }

  function owner(item: ProposedItem, people: readonly MeetingPerson[]): Pick<NoteItem, 'ownerId' | 'ownerName'> {
    if (item.owner === null) return { ownerId: null, ownerName: null };
    const known = people.find((p) => p.id === item.owner?.userId) ?? resolvePerson(item.owner.name, people);
    return known === null
      ? { ownerId: null, ownerName: item.owner.name }
      : { ownerId: known.id, ownerName: known.name };
  }

  async function make(m: Meeting, requestedBy: Caller | null, timeZone: string | undefined): Promise<MeetingNotes> {
    const segments = await store.transcripts.ofMeeting(m.organisationId, m.id);
    const people = await peopleOf(m, segments);
    const zone = timeZone ?? (await organisation.own(m.organisationId)).timeZone;
    const proposed = await provider.propose({ meetingTitle: m.title, segments, people, timeZone: zone });
    const recordings = await store.recordings.ofMeeting(m.organisationId, m.id);
    const origin = segments.length === 0 ? 0 : Date.parse(segments[0]?.startedAt ?? '');
    const byId = new Map(segments.map((s) => [s.id, s]));
    const evidence = (s: TranscriptSegment): NoteEvidence => ({
      segmentId: s.id,
      speaker: s.speaker,
      text: s.text,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      startMs: Math.max(0, Date.parse(s.startedAt) - origin),
      endMs: Math.max(0, Date.parse(s.endedAt) - origin),
      recording: recordingAt(recordings, Date.parse(s.startedAt)),
    });
    const previous = await store.notes.latest(m.organisationId, m.id);
    const notes: MeetingNotes = {
      id: newId(),
      meetingId: m.id,
      provider: proposed.provider,
      summary: proposed.summary,
      items: proposed.items.flatMap((item): NoteItem[] => {
        const heard = item.segmentIds.flatMap((id) => {
          const s = byId.get(id);
          return s === undefined ? [] : [evidence(s)];
        });
        if (heard.length === 0) return [];
        return [
          {
            id: newId(),
            kind: item.kind,
            title: item.title,
            ...owner(item, people),
            dueDate: item.dueDate,
            evidence: heard,
            ...decidedBefore(previous, item),
          },
        ];
      }),
      timeZone: zone,
      segmentCount: segments.length,
      generatedAt: nowIso(),
      requestedBy: requestedBy?.user.id ?? null,
    };
    await store.notes.insert(m.organisationId, notes);
    await post(m, notes, requestedBy);
    return notes;
  }

  /**
   * Tells the meeting's chat, as whoever asked (or the meeting's owner, for notes its end made).
   * A meeting whose chat takes no messages (turned off, end-to-end encrypted) is not told.
   */
  async function post(m: Meeting, notes: MeetingNotes, requestedBy: Caller | null): Promise<void> {
    const author: User | undefined = requestedBy?.user ?? (await store.identity.getUser(m.organisationId, m.ownerId));
    if (author === undefined) return;
    const count = (kind: NoteItem['kind']) => notes.items.filter((i) => i.kind === kind).length;
    const body = [
      `Meeting notes are ready: ${count('decision')} proposed decision(s) and ${count('action')} proposed action item(s) to confirm.`,
      '',
      notes.summary,
    ].join('\n');
    const as: Caller = requestedBy ?? {
      user: author,
      sessionId: `notes-${notes.id}`,
      origin: { address: 'server', client: 'notes' },
    };
    await chat
      .send(as, m.conversationId, { clientId: notes.id, body: body.slice(0, LIMITS.chatBodyChars) })
      .catch((e: unknown) => log(`the notes of meeting ${m.id} could not be posted to its chat`, e));
  }

  /**
   * The meeting ended: its notes are made unless nothing was transcribed or nothing new was said
   * since the last ones (a host's end and the room emptying both tell of one end), and posted.
   */
  async function ended(m: Meeting): Promise<void> {
    const segments = await store.transcripts.ofMeeting(m.organisationId, m.id);
    if (segments.length === 0) return;
    const last = await store.notes.latest(m.organisationId, m.id);
    if (last === undefined || last.segmentCount !== segments.length) {
      await makeOnce(m, null);
      return;
    }
    // Made at an end already, perhaps by an instance that stopped before it told the chat: told
    // now. The post's clientId is the notes' id, so one that was made answers as itself (no
    // second post). Notes someone asked for were posted in their request (as them).
    if (last.requestedBy === null) await post(m, last, null);
  }

  /** One making at a time per meeting; the caller of a second one gets the first one's notes. */
  function makeOnce(m: Meeting, requestedBy: Caller | null, timeZone?: string): Promise<MeetingNotes> {
    const running = making.get(m.id);
    if (running !== undefined) return running;
    const job = make(m, requestedBy, timeZone).finally(() => making.delete(m.id));
    making.set(m.id, job);
    return job;
  }

  async function itemOf(caller: Caller, meetingId: string, notesId: string, itemId: string) {
    if (caller.user.role === 'guest') throw forbidden('guests cannot confirm or dismiss notes');
    const m = await access.meeting(caller, meetingId);
    const notes = found(await store.notes.get(m.organisationId, m.id, notesId), 'notes');
    const item = found(
      notes.items.find((i) => i.id === itemId),
      'item',
    );
    return { m, notes, item };
  }

  async function reread(m: Meeting, notesId: string, itemId: string): Promise<NoteItem> {
    const notes = found(await store.notes.get(m.organisationId, m.id, notesId), 'notes');
    return found(
      notes.items.find((i) => i.id === itemId),
      'item',
    );
  }

  const by = (caller: Caller) => ({ by: { id: caller.user.id, name: caller.user.name }, at: nowIso() });

  return {
    /** The meeting's latest notes, to those with standing in it. */
    async latest(caller: Caller, meetingId: string): Promise<MeetingNotes | null> {
      const m = await access.meeting(caller, meetingId);
      return (await store.notes.latest(m.organisationId, m.id)) ?? null;
    },

    /** Notes made now, from the transcript as it stands. */
    async generate(caller: Caller, meetingId: string, req: GenerateNotesRequest): Promise<MeetingNotes> {
      const m = await access.meeting(caller, meetingId);
      return makeOnce(m, caller, req.timeZone);
    },

    /**
     * Makes the notes of meetings that ended (notes_due, written with the end): each claimed by
     * this instance for as long as the model may take, made unless nothing was transcribed or
     * nothing new was said since the last ones, then marked made. A failure is tried again later,
     * RETRY_MS apart, then given up.
     */
    async makeDue(): Promise<void> {
      // One claimed at a time: each claim lasts as long as one making may.
      for (let made = 0; made < DUE_AT_ONCE; made += 1) {
        const now = Date.now();
        const claimMs = (setup.llm?.timeoutMs ?? 0) + CLAIM_MARGIN_MS;
        const [due] = await store.notes.claimDue(new Date(now).toISOString(), new Date(now + claimMs).toISOString(), 1);
        if (due === undefined) return;
        try {
          const m = await store.meetings.get(due.organisationId, due.meetingId);
          if (m !== undefined) await ended(m);
          await store.notes.madeDue(due);
        } catch (e) {
          const wait = RETRY_MS[due.attempts];
          log(`the notes of meeting ${due.meetingId} could not be made${wait === undefined ? '; given up' : ''}`, e);
          await store.notes.failedDue(due, wait === undefined ? null : new Date(Date.now() + wait).toISOString());
        }
      }
    },

    async confirm(
      caller: Caller,
      meetingId: string,
      notesId: string,
      itemId: string,
      edits: ConfirmNoteItemRequest,
    ): Promise<ConfirmNoteItemResult> {
      const { m, item } = await itemOf(caller, meetingId, notesId, itemId);
      // A confirmation whose decision was not recorded yet (the server stopped in between) is finished.
      const resuming = item.status === 'confirmed' && item.decisionId === null;
      if (!resuming) {
        if (item.status !== 'proposed') throw conflict(`the item was ${item.status} already`);
        if (!(await store.notes.decide(notesId, itemId, 'confirmed', by(caller))))
          throw conflict('the item was confirmed or dismissed meanwhile');
      }
      const first = item.evidence[0];
      const moment: DecisionMoment | null =
        first === undefined
          ? null
          : {
              segmentId: first.segmentId,
              startedAt: first.startedAt,
              recordingId: first.recording?.id ?? null,
              recordingOffsetMs: first.recording?.offsetMs ?? null,
            };
      const title = edits.title ?? item.title;
      const decision = await decisions
        .create(
          caller,
          {
            // The item's id makes the creation idempotent: a retried confirmation records one decision.
            clientId: item.id,
            title,
            detail: [
              `${item.kind === 'action' ? 'Action item' : 'Decision'} from the notes of “${m.title}”, as it was said:`,
              ...item.evidence.map(quoteOf),
            ].join('\n'),
            outcome: '',
            ownerId: edits.ownerId === undefined ? item.ownerId : edits.ownerId,
            dueDate: edits.dueDate === undefined ? item.dueDate : edits.dueDate,
            status: 'agreed',
            meetingId: m.id,
            message: null,
          },
          moment,
        )
        .catch(async (e: unknown) => {
          await store.notes.undecide(notesId, itemId);
          throw e;
        });
      await store.notes.setDecision(notesId, itemId, decision.id);
      await audit.byCaller(caller, 'notes.item_confirmed', {
        target: { kind: 'meeting', id: m.id, label: m.title },
        detail: { notesId, itemId, kind: item.kind, title, decisionId: decision.id },
      });
      return { item: await reread(m, notesId, itemId), decision };
    },

    async reject(caller: Caller, meetingId: string, notesId: string, itemId: string): Promise<NoteItem> {
      const { m, item } = await itemOf(caller, meetingId, notesId, itemId);
      if (item.status !== 'proposed') throw conflict(`the item was ${item.status} already`);
      if (!(await store.notes.decide(notesId, itemId, 'dismissed', by(caller))))
        throw conflict('the item was confirmed or dismissed meanwhile');
      await audit.byCaller(caller, 'notes.item_dismissed', {
        target: { kind: 'meeting', id: m.id, label: m.title },
        detail: { notesId, itemId, kind: item.kind, title: item.title },
      });
      return reread(m, notesId, itemId);
    },
  };
}

export type NotesService = ReturnType<typeof notesService>;
