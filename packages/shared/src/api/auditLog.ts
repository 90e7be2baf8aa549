import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { AuditActionSchema, AuditEntrySchema } from './audit.ts';
import { TimestampSchema } from './common.ts';

/** Reading the audit log (owners and admins): `GET /audit` pages it, `GET /audit/export` hands it over. */

export const AUDIT_PAGE = { default: 50, max: 200 } as const;

const Words = lazySchema(() => z.string().trim().min(1).max(200));

/**
 * Which entries: one action; an actor or a target by id, or by words of how it was named (a
 * person's name or e-mail, a key's name, a meeting's title); a time window, both ends included.
 */
export const AuditFilterSchema = lazySchema(() =>
  z.strictObject({
    action: AuditActionSchema.optional(),
    actor: Words.optional(),
    target: Words.optional(),
    from: TimestampSchema.optional(),
    to: TimestampSchema.optional(),
  }),
);
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

/** Newest first; `cursor` is the previous page's `nextCursor`. */
export const AuditListQuerySchema = lazySchema(() =>
  AuditFilterSchema.extend({
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,14}$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE.max).default(AUDIT_PAGE.default),
  }),
);
export type AuditListQuery = z.input<typeof AuditListQuerySchema>;

export const AuditPageSchema = lazySchema(() =>
  z.object({
    entries: z.array(AuditEntrySchema),
    /** Null on the last page. */
    nextCursor: z.string().nullable(),
  }),
);
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const AuditExportFormatSchema = lazySchema(() => z.enum(['csv', 'json']));
export type AuditExportFormat = z.infer<typeof AuditExportFormatSchema>;

/** Every entry the filter keeps, newest first, as a file: CSV (RFC 4180) or JSON. */
export const AuditExportQuerySchema = lazySchema(() =>
  AuditFilterSchema.extend({ format: AuditExportFormatSchema.default('csv') }),
);
export type AuditExportQuery = z.input<typeof AuditExportQuerySchema>;

/** The export outside the route table: a file, not a JSON answer of the API (bearer as for the API). */
export const AUDIT_EXPORT_PATH = '/audit/export';
