/**
 * The page socket's wire constants, without zod: the page SDK imports this alone
 * (`@tandem/shared/page-wire`) so its drop-in script stays small. See pages.ts.
 */

/** The first byte of a binary frame of the page socket (y-websocket's numbering). */
export const PAGE_FRAME = { sync: 0, awareness: 1 } as const;

/** The Yjs document's shared types: the form's fields, and who changed each last (written by the server only). */
export const PAGE_DOC = { fields: 'fields', edits: 'edits' } as const;

/** What the server writes in `edits` for a field. */
export type PageFieldEdit = { readonly userId: string; readonly name: string; readonly at: string };

/** How many awareness clients one page socket may speak for (a tab has one). */
export const PAGE_AWARENESS_CLIENTS = 4;
