import { SPECIAL_PATHS, type AuditExportFormat, type AuditFilter } from '@tandem/shared';
import type { ApiFile } from './apiClient.ts';
import type { Session } from './session.ts';

/**
 * The organisation's audit log as a file (owners and admins; the server refuses anyone else).
 * Listing it is a forwarded channel (`audit:list`); the export is a file, not a JSON answer, so
 * it is fetched here with the session's token and handed to the renderer whole.
 */
export type AuditService = { export(filter: AuditFilter, format: AuditExportFormat): Promise<ApiFile> };

export function createAudit(deps: { readonly session: Session }): AuditService {
  return {
    export: (filter, format) => deps.session.file(SPECIAL_PATHS.auditExport, { ...filter, format }),
  };
}
