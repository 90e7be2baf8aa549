import type {
  MeetingNotes,
  NoteEvidence,
  NoteItem,
  NoteItemKind,
  NoteItemStatus,
  NotesProviderName,
} from '@tandem/shared';
import type { Selectable } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

type ItemRow = Selectable<Database['note_items']>;
type NotesRow = Selectable<Database['meeting_notes']>;

const toItem = (r: ItemRow): NoteItem => ({
  id: r.id,
  kind: r.kind as NoteItemKind,
  title: r.title,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  dueDate: r.due_date,
  evidence: JSON.parse(r.evidence) as NoteEvidence[],
  status: r.status as NoteItemStatus,
  decisionId: r.decision_id,
  decidedBy: r.decided_by === null ? null : { id: r.decided_by, name: r.decided_by_name ?? '' },
  decidedAt: r.decided_at,
});

const toNotes = (r: NotesRow, items: readonly ItemRow[]): MeetingNotes => ({
  id: r.id,
  meetingId: r.meeting_id,
  provider: r.provider as NotesProviderName,
  summary: r.summary,
  items: items.map(toItem),
  timeZone: r.time_zone,
  segmentCount: r.segment_count,
  generatedAt: r.generated_at,
  requestedBy: r.requested_by,
});

/** An ended meeting whose notes are due, as an instance claimed it (058_notes_due). */
export type NotesDue = {
  readonly organisationId: string;
  readonly meetingId: string;
  readonly dueAt: string;
  readonly attempts: number;
};

/**
 * The meeting ended at `at`: its notes are due, written in the transaction `db` of the end. An
 * end heard again (another instance, LiveKit after the host) moves `due_at` on; a claim stands.
 */
export async function notesDueIn(db: Db, organisationId: string, meetingId: string, at: string): Promise<void> {
  await db
    .insertInto('notes_due')
    .values({ meeting_id: meetingId, organisation_id: organisationId, due_at: at })
    .onConflict((c) => c.column('meeting_id').doUpdateSet({ due_at: at, attempts: 0 }))
    .execute();
}

/** Who decided an item, and when. */
export type ItemDecision = { readonly by: { id: string; name: string }; readonly at: string };

export function notesStore(db: Db) {
  async function withItems(r: NotesRow | undefined): Promise<MeetingNotes | undefined> {
    if (r === undefined) return undefined;
    const items = await db
      .selectFrom('note_items')
      .selectAll()
      .where('notes_id', '=', r.id)
      .orderBy('position')
      .execute();
    return toNotes(r, items);
  }

  return {
    /** The notes and their items, together. */
    async insert(organisationId: string, notes: MeetingNotes): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('meeting_notes')
          .values({
            id: notes.id,
            organisation_id: organisationId,
            meeting_id: notes.meetingId,
            provider: notes.provider,
            summary: notes.summary,
            time_zone: notes.timeZone,
            segment_count: notes.segmentCount,
            generated_at: notes.generatedAt,
            requested_by: notes.requestedBy,
          })
          .execute();
        for (const [position, item] of notes.items.entries()) {
          await tx
            .insertInto('note_items')
            .values({
              id: item.id,
              notes_id: notes.id,
              position,
              kind: item.kind,
              title: item.title,
              owner_id: item.ownerId,
              owner_name: item.ownerName,
              due_date: item.dueDate,
              evidence: JSON.stringify(item.evidence),
              status: item.status,
              decision_id: item.decisionId,
              decided_by: item.decidedBy?.id ?? null,
              decided_by_name: item.decidedBy?.name ?? null,
              decided_at: item.decidedAt,
            })
            .execute();
        }
      });
    },

    /** The meeting's newest notes. */
    async latest(organisationId: string, meetingId: string): Promise<MeetingNotes | undefined> {
      const r = await db
        .selectFrom('meeting_notes')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('meeting_id', '=', meetingId)
        .orderBy('generated_at', 'desc')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return withItems(r);
    },

    async get(organisationId: string, meetingId: string, notesId: string): Promise<MeetingNotes | undefined> {
      const r = await db
        .selectFrom('meeting_notes')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('meeting_id', '=', meetingId)
        .where('id', '=', notesId)
        .executeTakeFirst();
      return withItems(r);
    },

    /**
     * Moves a proposed item to `status`, only if it is still proposed: answers false when someone
     * else confirmed or dismissed it first.
     */
    async decide(
      notesId: string,
      itemId: string,
      status: 'confirmed' | 'dismissed',
      d: ItemDecision,
    ): Promise<boolean> {
      const result = await db
        .updateTable('note_items')
        .set({ status, decided_by: d.by.id, decided_by_name: d.by.name, decided_at: d.at })
        .where('notes_id', '=', notesId)
        .where('id', '=', itemId)
        .where('status', '=', 'proposed')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** A confirmation that could not record its decision is taken back. */
    async undecide(notesId: string, itemId: string): Promise<void> {
      await db
        .updateTable('note_items')
        .set({ status: 'proposed', decided_by: null, decided_by_name: null, decided_at: null })
        .where('notes_id', '=', notesId)
        .where('id', '=', itemId)
        .where('decision_id', 'is', null)
        .execute();
    },

    /**
     * Up to `limit` meetings whose notes are due by `now` and nobody holds, each claimed until
     * `until` (a claim is taken by one instance: the update checks the claim it replaces).
     */
    async claimDue(now: string, until: string, limit: number): Promise<NotesDue[]> {
      const free = await db
        .selectFrom('notes_due')
        .selectAll()
        .where('due_at', '<=', now)
        .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now)]))
        .orderBy('due_at')
        .limit(limit)
        .execute();
      const claimed: NotesDue[] = [];
      for (const r of free) {
        const taken = await db
          .updateTable('notes_due')
          .set({ claimed_until: until })
          .where('meeting_id', '=', r.meeting_id)
          .where((w) =>
            r.claimed_until === null ? w('claimed_until', 'is', null) : w('claimed_until', '=', r.claimed_until),
          )
          .executeTakeFirst();
        if (taken.numUpdatedRows > 0n)
          claimed.push({
            organisationId: r.organisation_id,
            meetingId: r.meeting_id,
            dueAt: r.due_at,
            attempts: r.attempts,
          });
      }
      return claimed;
    },

    /** The notes due were made: the row goes, unless the meeting ended again meanwhile (then it is free again). */
    async madeDue(due: NotesDue): Promise<void> {
      const gone = await db
        .deleteFrom('notes_due')
        .where('meeting_id', '=', due.meetingId)
        .where('due_at', '=', due.dueAt)
        .executeTakeFirst();
      if (gone.numDeletedRows === 0n)
        await db
          .updateTable('notes_due')
          .set({ claimed_until: null })
          .where('meeting_id', '=', due.meetingId)
          .execute();
    },

    /** Making them failed: tried again from `retryAt`, or given up (the row goes) when `retryAt` is null. */
    async failedDue(due: NotesDue, retryAt: string | null): Promise<void> {
      if (retryAt === null) {
        await db
          .deleteFrom('notes_due')
          .where('meeting_id', '=', due.meetingId)
          .where('due_at', '=', due.dueAt)
          .execute();
        return;
      }
      await db
        .updateTable('notes_due')
        .set({ attempts: due.attempts + 1, claimed_until: retryAt })
        .where('meeting_id', '=', due.meetingId)
        .execute();
    },

    async setDecision(notesId: string, itemId: string, decisionId: string): Promise<void> {
      await db
        .updateTable('note_items')
        .set({ decision_id: decisionId })
        .where('notes_id', '=', notesId)
        .where('id', '=', itemId)
        .execute();
    },
  };
}

export type NotesStore = ReturnType<typeof notesStore>;
