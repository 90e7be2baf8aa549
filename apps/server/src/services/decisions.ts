import type {
  CreateDecisionRequest,
  Decision,
  DecisionChange,
  DecisionMoment,
  DecisionList,
  DecisionQuery,
  DecisionWithHistory,
  UpdateDecisionRequest,
} from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { type Caller, newId, nowIso } from './context.ts';
import { badRequest, conflict, forbidden, found, notFound } from './errors.ts';
import type { ConversationAccess } from './conversationAccess.ts';
import { guestRules } from './guests.ts';
import type { Realtime } from './realtime.ts';

type CreateInput = {
  readonly [K in keyof CreateDecisionRequest]-?: Exclude<CreateDecisionRequest[K], undefined>;
};

const FIELDS = ['title', 'detail', 'outcome', 'ownerId', 'dueDate', 'status'] as const;

export function decisionService(store: Store, realtime: Realtime, conversations: ConversationAccess) {
  const guests = guestRules(store);

  /** Links must point inside the caller's organisation; otherwise they are bad input. */
  async function checkLinks(
    caller: Caller,
    links: { ownerId?: string | null; meetingId?: string | null; conversationId?: string },
  ): Promise<void> {
    const org = caller.user.organisationId;
    if (links.ownerId != null && (await store.identity.getUser(org, links.ownerId)) === undefined)
      throw badRequest('ownerId is not a person in this organisation');
    if (links.meetingId != null && (await store.meetings.get(org, links.meetingId)) === undefined)
      throw badRequest('meetingId is not a meeting in this organisation');
    // A conversation the caller may not read (another's direct chat, say) is refused like one that does not exist.
    if (links.conversationId !== undefined) {
      await conversations.readable(caller, links.conversationId).catch(() => {
        throw badRequest('message.conversationId is not a conversation you can read');
      });
    }
  }

  return {
    /**
     * Read by changes (DecisionQuerySchema): a guest's page holds only the decisions they may
     * read, so it may be short while `hasMore` still says more follow its cursor.
     */
    async list(caller: Caller, query: DecisionQuery): Promise<DecisionList> {
      const { items, ...page } = await store.decisions.changedSince(
        caller.user.organisationId,
        query.since ?? 0,
        query.limit,
        query.meetingId,
      );
      const readable = await Promise.all(items.map((d) => guests.mayReadDecision(caller, d)));
      return { decisions: items.filter((_, i) => readable[i]), ...page };
    },

    async get(caller: Caller, decisionId: string): Promise<DecisionWithHistory> {
      const decision = found(await store.decisions.get(caller.user.organisationId, decisionId), 'decision');
      if (!(await guests.mayReadDecision(caller, decision))) throw notFound('decision');
      return { decision, history: await store.decisions.history(decision.id) };
    },

    /** `moment`: where in its meeting it was said, for a decision confirmed from meeting notes (notes.ts). */
    async create(caller: Caller, req: CreateInput, moment: DecisionMoment | null = null): Promise<Decision> {
      if (caller.user.role === 'guest') throw forbidden('guests cannot record decisions');
      await checkLinks(caller, {
        ownerId: req.ownerId,
        meetingId: req.meetingId,
        ...(req.message === null ? {} : { conversationId: req.message.conversationId }),
      });
      const now = nowIso();
      const decision: Decision = {
        id: newId(),
        organisationId: caller.user.organisationId,
        title: req.title,
        detail: req.detail,
        outcome: req.outcome,
        ownerId: req.ownerId,
        dueDate: req.dueDate,
        status: req.status,
        meetingId: req.meetingId,
        message: req.message,
        moment,
        version: 1,
        createdBy: caller.user.id,
        createdAt: now,
        updatedAt: now,
      };
      const change: DecisionChange = {
        decisionId: decision.id,
        version: 1,
        changedBy: caller.user.id,
        changedAt: now,
        changes: Object.fromEntries(FIELDS.map((f) => [f, decision[f]])),
      };
      const { decision: stored, created } = await store.decisions.create(decision, req.clientId, change);
      if (created) realtime.toOrg(stored.organisationId, { type: 'decision.changed', decision: stored });
      return stored;
    },

    async update(caller: Caller, decisionId: string, req: UpdateDecisionRequest): Promise<Decision> {
      if (caller.user.role === 'guest') throw forbidden('guests cannot change decisions');
      const current = found(await store.decisions.get(caller.user.organisationId, decisionId), 'decision');
      if (req.expectedVersion !== undefined && req.expectedVersion !== current.version) {
        throw conflict(`the decision is at version ${current.version}`);
      }
      await checkLinks(caller, { ...(req.ownerId === undefined ? {} : { ownerId: req.ownerId }) });
      const changes: DecisionChange['changes'] = Object.fromEntries(
        FIELDS.filter((f) => req[f] !== undefined && req[f] !== current[f]).map((f) => [f, req[f]]),
      );
      if (Object.keys(changes).length === 0) return current;
      const now = nowIso();
      const next: Decision = { ...current, ...changes, version: current.version + 1, updatedAt: now };
      const stored = await store.decisions.update(next, current.version, {
        decisionId: current.id,
        version: next.version,
        changedBy: caller.user.id,
        changedAt: now,
        changes,
      });
      if (stored === undefined) throw conflict('the decision changed meanwhile; read it again');
      realtime.toOrg(stored.organisationId, { type: 'decision.changed', decision: stored });
      return stored;
    },
  };
}

export type DecisionService = ReturnType<typeof decisionService>;
