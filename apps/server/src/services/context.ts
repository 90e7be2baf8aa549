import { randomUUID } from 'node:crypto';
import type { User } from '@tandem/shared';

/** The authenticated caller of a request or WebSocket. Every service call is scoped by it. */
export type Caller = { readonly user: User; readonly sessionId: string };

export const newId = (): string => randomUUID();
export const nowIso = (): string => new Date().toISOString();

export const isOrgAdmin = (caller: Caller): boolean => caller.user.role === 'owner' || caller.user.role === 'admin';
