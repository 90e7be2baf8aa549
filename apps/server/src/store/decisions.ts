import type { Decision, DecisionChange, DecisionMoment, DecisionStatus } from '@tandem/shared';
import { changedSince, nextPosition, type ChangesPage } from './changes.ts';
import type { Db } from './db.ts';
import { queueEventIn } from './integrations.ts';
import type { Database } from './schema.ts';

type DecisionRow = Database['decisions'];

const toDecision = (r: DecisionRow): Decision => ({
  id: r.id,
  organisationId: r.organisation_id,
  title: r.title,
  detail: r.detail,
  outcome: r.outcome,
  ownerId: r.owner_id,
  dueDate: r.due_date,
  status: r.status as DecisionStatus,
  meetingId: r.meeting_id,
  message:
    r.message_conversation_id === null || r.message_id === null
      ? null
      : { conversationId: r.message_conversation_id, messageId: r.message_id },
  moment: r.moment === null ? null : (JSON.parse(r.moment) as DecisionMoment),
  version: r.version,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const row = (d: Decision, clientId: string, changeSeq: number): DecisionRow => ({
  id: d.id,
  organisation_id: d.organisationId,
  client_id: clientId,
  title: d.title,
  detail: d.detail,
  outcome: d.outcome,
  owner_id: d.ownerId,
  due_date: d.dueDate,
  status: d.status,
  meeting_id: d.meetingId,
  message_conversation_id: d.message?.conversationId ?? null,
  message_id: d.message?.messageId ?? null,
  moment: d.moment === null ? null : JSON.stringify(d.moment),
  version: d.version,
  created_by: d.createdBy,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
  change_seq: changeSeq,
});

const changeRow = (c: DecisionChange): Database['decision_changes'] => ({
  decision_id: c.decisionId,
  version: c.version,
  changed_by: c.changedBy,
  changed_at: c.changedAt,
  changes: JSON.stringify(c.changes),
});

export type DecisionWrite = { readonly decision: Decision; readonly created: boolean };

export function decisionStore(db: Db) {
  return {
    /**
     * The decision, its first history entry and its `decision.created` webhooks (integrations.ts
     * `queueEventIn`), together; a known clientId answers the stored one.
     * The insert itself settles a race between two requests with the same clientId (on
     * PostgreSQL both may look before either writes): the second inserts nothing and reads the first
     * (its position, taken first, goes unused: readers by changes skip gaps).
     */
    async create(d: Decision, clientId: string, change: DecisionChange): Promise<DecisionWrite> {
      return db.transaction().execute(async (tx): Promise<DecisionWrite> => {
        const position = await nextPosition(tx, d.organisationId, 'decisions_seq');
        const inserted = await tx
          .insertInto('decisions')
          .values(row(d, clientId, position))
          .onConflict((oc) => oc.columns(['organisation_id', 'client_id']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
          const existing = await tx
            .selectFrom('decisions')
            .selectAll()
            .where('organisation_id', '=', d.organisationId)
            .where('client_id', '=', clientId)
            .executeTakeFirstOrThrow();
          return { decision: toDecision(existing), created: false };
        }
        await tx.insertInto('decision_changes').values(changeRow(change)).execute();
        await queueEventIn(tx, d.organisationId, 'decision.created', { decision: d }, change.changedAt);
        return { decision: d, created: true };
      });
    },

    async get(organisationId: string, id: string): Promise<Decision | undefined> {
      const r = await db
        .selectFrom('decisions')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r === undefined ? undefined : toDecision(r);
    },

    /** The organisation's `limit` decisions changed last, the latest first (055's index). */
    async latest(organisationId: string, limit: number): Promise<Decision[]> {
      const rows = await db
        .selectFrom('decisions')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .orderBy('change_seq', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toDecision);
    },

    /**
     * The organisation's decisions (of one meeting, with `meetingId`) changed after position
     * `since` (0: all), in the order of their latest version, at most `limit` (undefined: all);
     * through 055's index by organisation and position.
     */
    async changedSince(
      organisationId: string,
      since: number,
      limit: number | undefined,
      meetingId?: string,
    ): Promise<ChangesPage<Decision>> {
      const page = await changedSince(
        db,
        organisationId,
        'decisions_seq',
        since,
        limit,
        (from, upTo) => {
          const query = db
            .selectFrom('decisions')
            .selectAll()
            .where('organisation_id', '=', organisationId)
            .where('change_seq', '>', from)
            .$if(meetingId !== undefined, (q) => q.where('meeting_id', '=', meetingId ?? ''))
            .orderBy('change_seq');
          return (upTo === undefined ? query : query.limit(upTo)).execute();
        },
        (r) => r.change_seq,
      );
      return { ...page, items: page.items.map(toDecision) };
    },

    async history(decisionId: string): Promise<DecisionChange[]> {
      const rows = await db
        .selectFrom('decision_changes')
        .selectAll()
        .where('decision_id', '=', decisionId)
        .orderBy('version')
        .execute();
      return rows.map((r) => ({
        decisionId: r.decision_id,
        version: r.version,
        changedBy: r.changed_by,
        changedAt: r.changed_at,
        changes: JSON.parse(r.changes) as DecisionChange['changes'],
      }));
    },

    /**
     * Writes the next version, its history entry and its `decision.updated` webhooks together,
     * only if the stored version is still `fromVersion`; answers undefined when someone else
     * changed it first.
     */
    async update(next: Decision, fromVersion: number, change: DecisionChange): Promise<Decision | undefined> {
      return db.transaction().execute(async (tx) => {
        const position = await nextPosition(tx, next.organisationId, 'decisions_seq');
        const result = await tx
          .updateTable('decisions')
          .set({
            title: next.title,
            detail: next.detail,
            outcome: next.outcome,
            owner_id: next.ownerId,
            due_date: next.dueDate,
            status: next.status,
            version: next.version,
            updated_at: next.updatedAt,
            change_seq: position,
          })
          .where('id', '=', next.id)
          .where('version', '=', fromVersion)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return undefined;
        await tx.insertInto('decision_changes').values(changeRow(change)).execute();
        await queueEventIn(tx, next.organisationId, 'decision.updated', { decision: next }, change.changedAt);
        return next;
      });
    },
  };
}

export type DecisionStore = ReturnType<typeof decisionStore>;
