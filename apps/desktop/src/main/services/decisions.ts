import { uuidv7, type CreateDecisionRequest, type DecisionView, type UpdateDecisionRequest } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import { ServiceError } from './errors.ts';
import type { Emit } from './events.ts';
import type { Outbox } from './outbox.ts';

export type DecisionsService = {
  list(meetingId?: string): Promise<DecisionView[]>;
  create(request: Omit<CreateDecisionRequest, 'clientId'>): Promise<DecisionView>;
  update(clientId: string, patch: UpdateDecisionRequest): Promise<DecisionView>;
};

/** Decisions, like chat, are written to the cache and the outbox first, so they work offline. */
export function createDecisions(deps: { db: DbClient; outbox: Outbox; emit: Emit }): DecisionsService {
  const { db } = deps;
  function changed(decision: DecisionView): DecisionView {
    deps.emit('decisions:changed', { decisions: [decision] });
    deps.outbox.kick();
    return decision;
  }
  return {
    list: (meetingId) => db.read('decisions', { meetingId }),
    async create(request) {
      const at = new Date().toISOString();
      return changed(await db.write('enqueueDecisionCreate', { request: { ...request, clientId: uuidv7() }, at }));
    },
    async update(clientId, patch) {
      const at = new Date().toISOString();
      const decision = await db.write('enqueueDecisionUpdate', {
        clientId: uuidv7(),
        decisionClientId: clientId,
        patch,
        at,
      });
      if (decision === null) throw new ServiceError('not_found', 'no such decision');
      return changed(decision);
    },
  };
}
