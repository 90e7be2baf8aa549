import { AuditDetailSchema, type AuditAction, type AuditActorKind, type AuditEntry } from '@tandem/shared';
import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Db } from './db.ts';
import { containsWords } from './dialect.ts';
import type { Database } from './schema.ts';

const toEntry = (r: Selectable<Database['audit_log']>): AuditEntry => ({
  id: r.id,
  organisationId: r.organisation_id,
  at: r.at,
  action: r.action as AuditAction,
  actor: { kind: r.actor_kind as AuditActorKind, id: r.actor_id, label: r.actor_label },
  target:
    r.target_kind === null || r.target_id === null
      ? null
      : { kind: r.target_kind, id: r.target_id, ...(r.target_label === null ? {} : { label: r.target_label }) },
  origin: { address: r.address, client: r.client },
  detail: AuditDetailSchema.parse(JSON.parse(r.detail)),
});

/** What a read of the log keeps: times are ISO strings as stored (compared as text). */
export type AuditQuery = {
  readonly action?: AuditAction;
  readonly actor?: string;
  readonly target?: string;
  readonly from?: string;
  readonly to?: string;
};

/** `words` anywhere in a label: LIKE's own wildcards in them are matched as themselves. */

/** The audit log's rows. Only appends and reads: the table itself refuses changes (011_audit). */
export function auditStore(db: Db) {
  return {
    async append(entry: AuditEntry): Promise<void> {
      await db
        .insertInto('audit_log')
        .values({
          id: entry.id,
          organisation_id: entry.organisationId,
          at: entry.at,
          action: entry.action,
          actor_kind: entry.actor.kind,
          actor_id: entry.actor.id,
          actor_label: entry.actor.label,
          target_kind: entry.target?.kind ?? null,
          target_id: entry.target?.id ?? null,
          target_label: entry.target?.label ?? null,
          address: entry.origin.address,
          client: entry.origin.client,
          detail: JSON.stringify(entry.detail),
        })
        .execute();
    },

    /**
     * The organisation's entries, newest first; `before` is the `seq` the previous page ended at.
     * `actor` and `target` match an id exactly or words within the label, without case.
     */
    async list(
      organisationId: string,
      page: { readonly limit: number; readonly before?: number },
      filter: AuditQuery = {},
    ): Promise<{ entries: AuditEntry[]; next: number | null }> {
      let q = db.selectFrom('audit_log').selectAll().where('organisation_id', '=', organisationId);
      if (page.before !== undefined) q = q.where('seq', '<', page.before);
      if (filter.action !== undefined) q = q.where('action', '=', filter.action);
      if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('at', '<=', filter.to);
      const { actor, target } = filter;
      if (actor !== undefined)
        q = q.where(sql<SqlBool>`(actor_id = ${actor} or ${containsWords(db, sql.ref('actor_label'), actor)})`);
      if (target !== undefined)
        q = q.where(sql<SqlBool>`(target_id = ${target} or ${containsWords(db, sql.ref('target_label'), target)})`);
      const rows = await q
        .orderBy('seq', 'desc')
        .limit(page.limit + 1)
        .execute();
      const more = rows.length > page.limit;
      const shown = more ? rows.slice(0, page.limit) : rows;
      return { entries: shown.map(toEntry), next: more ? (shown.at(-1)?.seq ?? null) : null };
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;
