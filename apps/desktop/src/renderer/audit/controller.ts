import type { AuditExportFormat, AuditFilter, AuditPage, TandemClient } from '@tandem/shared';
import { createContext, useContext } from 'react';

/** A file to hand to the person (the export), as main fetched it. */
export type AuditFile = { readonly filename: string; readonly mimeType: string; readonly content: string };

/** What Settings → Audit log asks of main: pages of the log and its export (owners and admins). */
export type AuditController = {
  page(filter: AuditFilter, cursor: string | null): Promise<AuditPage>;
  export(filter: AuditFilter, format: AuditExportFormat): Promise<AuditFile>;
};

export function createAuditController(client: Pick<TandemClient, 'auditList' | 'auditExport'>): AuditController {
  return {
    page: (filter, cursor) =>
      client.auditList({ params: {}, body: {}, query: { ...filter, ...(cursor === null ? {} : { cursor }) } }),
    export: (filter, format) => client.auditExport({ filter, format }),
  };
}

/** Provided by the composition root (`main.tsx`) with `createAuditController(client)`. */
export const AuditControllerContext = createContext<AuditController | undefined>(undefined);

export function useAuditController(): AuditController {
  const controller = useContext(AuditControllerContext);
  if (controller === undefined) throw new Error('useAuditController must be used inside AuditControllerContext');
  return controller;
}
