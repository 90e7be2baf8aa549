import { annotations, type Whiteboard } from '@tandem/shared';
import type { Db } from './db.ts';

/** A stored record back as an element; the route validated it on the way in. */
const toElement = (json: string): annotations.AnnotationElement =>
  annotations.AnnotationElementSchema.parse(JSON.parse(json));

/**
 * Meetings' whiteboards (032_whiteboards): one row per element, the winner of the merge so far.
 * Every query names the organisation and the meeting.
 */
export function whiteboardStore(db: Db) {
  return {
    async get(organisationId: string, meetingId: string): Promise<Whiteboard> {
      const rows = await db
        .selectFrom('whiteboard_elements')
        .select(['record', 'updated_at'])
        .where('organisation_id', '=', organisationId)
        .where('meeting_id', '=', meetingId)
        .execute();
      const updatedAt = rows.reduce<string | null>(
        (latest, r) => (latest === null || r.updated_at > latest ? r.updated_at : latest),
        null,
      );
      return { elements: rows.map((r) => toElement(r.record)), updatedAt };
    },

    /**
     * One save, in one transaction: `decide` sees the board's elements with the saved ids and how
     * many elements the board holds, and answers the records to write (it may throw, which writes
     * nothing). Returns how many were written.
     */
    async merge(
      organisationId: string,
      meetingId: string,
      ids: readonly string[],
      decide: (known: annotations.Scene, count: number) => readonly annotations.AnnotationElement[],
      now: string,
    ): Promise<number> {
      return db.transaction().execute(async (tx) => {
        const scoped = tx
          .selectFrom('whiteboard_elements')
          .where('organisation_id', '=', organisationId)
          .where('meeting_id', '=', meetingId);
        const rows =
          ids.length === 0
            ? []
            : await scoped
                .select('record')
                .where('element_id', 'in', [...ids])
                .execute();
        const { count } = await scoped.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
        const known = new Map(rows.map((r) => toElement(r.record)).map((e) => [e.id, e]));
        const records = decide(known, Number(count));
        for (const e of records) {
          const row = {
            author_id: e.authorId,
            version: e.version,
            version_nonce: e.versionNonce,
            record: JSON.stringify(e),
            updated_at: now,
          };
          await tx
            .insertInto('whiteboard_elements')
            .values({ organisation_id: organisationId, meeting_id: meetingId, element_id: e.id, ...row })
            .onConflict((oc) => oc.columns(['organisation_id', 'meeting_id', 'element_id']).doUpdateSet(row))
            .execute();
        }
        return records.length;
      });
    },
  };
}

export type WhiteboardStore = ReturnType<typeof whiteboardStore>;
