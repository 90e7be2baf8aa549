import type { AuditEntry, AuditExportFormat, AuditFilter, AuditListQuerySchema, AuditPage } from '@tandem/shared';
import type { z } from 'zod';
import type { AuditQuery, Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { type Caller, isOrgAdmin, nowIso } from './context.ts';
import { forbidden } from './errors.ts';

/** Read in pages this large while exporting. */
const EXPORT_PAGE = 1_000;

const CSV_COLUMNS = [
  'at',
  'action',
  'actor_kind',
  'actor_id',
  'actor',
  'target_kind',
  'target_id',
  'target',
  'address',
  'client',
  'detail',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled.
 * A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return first:
 * OWASP's list) is made text with a leading apostrophe, since labels and clients are typed by
 * whoever acted, attackers included.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvRow(e: AuditEntry): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    at: e.at,
    action: e.action,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id ?? '',
    actor: e.actor.label,
    target_kind: e.target?.kind ?? '',
    target_id: e.target?.id ?? '',
    target: e.target?.label ?? '',
    address: e.origin.address,
    client: e.origin.client,
    detail: Object.keys(e.detail).length === 0 ? '' : JSON.stringify(e.detail),
  };
  return CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',');
}

/** Instants as stored (`toISOString`), so text comparison in the store is time order. */
function queryOf(filter: AuditFilter): AuditQuery {
  return {
    ...(filter.action === undefined ? {} : { action: filter.action }),
    ...(filter.actor === undefined ? {} : { actor: filter.actor }),
    ...(filter.target === undefined ? {} : { target: filter.target }),
    ...(filter.from === undefined ? {} : { from: new Date(filter.from).toISOString() }),
    ...(filter.to === undefined ? {} : { to: new Date(filter.to).toISOString() }),
  };
}

export type AuditFile = { readonly filename: string; readonly contentType: string; readonly body: string };

/**
 * The audit log's read side, for the organisation's owners and admins: pages newest first, and
 * the whole filtered log as a CSV or JSON file. An export is itself recorded.
 */
export function auditLogService(store: Store, audit: AuditService) {
  const mayRead = (caller: Caller): void => {
    if (!isOrgAdmin(caller)) throw forbidden('only owners and admins read the audit log');
  };

  return {
    async list(caller: Caller, query: z.output<typeof AuditListQuerySchema>): Promise<AuditPage> {
      mayRead(caller);
      const { cursor, limit, ...filter } = query;
      const page = await store.audit.list(
        caller.user.organisationId,
        { limit, ...(cursor === undefined ? {} : { before: Number(cursor) }) },
        queryOf(filter),
      );
      return { entries: page.entries, nextCursor: page.next === null ? null : String(page.next) };
    },

    async export(caller: Caller, filter: AuditFilter, format: AuditExportFormat): Promise<AuditFile> {
      mayRead(caller);
      const entries: AuditEntry[] = [];
      let before: number | undefined;
      do {
        const page = await store.audit.list(
          caller.user.organisationId,
          { limit: EXPORT_PAGE, ...(before === undefined ? {} : { before }) },
          queryOf(filter),
        );
        entries.push(...page.entries);
        before = page.next ?? undefined;
      } while (before !== undefined);
      await audit.byCaller(caller, 'audit.exported', { detail: { format, entries: entries.length, ...filter } });
      const stamp = nowIso().slice(0, 19).replace(/:/g, '-');
      return format === 'csv'
        ? {
            filename: `audit-${stamp}.csv`,
            contentType: 'text/csv; charset=utf-8',
            body: `${[CSV_COLUMNS.join(','), ...entries.map(csvRow)].join('\r\n')}\r\n`,
          }
        : {
            filename: `audit-${stamp}.json`,
            contentType: 'application/json; charset=utf-8',
            body: JSON.stringify({ entries }, null, 2),
          };
    },
  };
}

export type AuditLogService = ReturnType<typeof auditLogService>;
