import {
  CONVERSATION_LIMITS,
  mentions,
  type AddMembersRequest,
  type Conversation,
  type ConversationEntry,
  type ConversationMember,
  type CreateChannelRequest,
  type CreateGroupRequest,
  type MemberRole,
  type ReadReceipt,
  type ServerMessage,
  type UpdateConversationRequest,
} from '@tandem/shared';
import type { Listed } from '../store/conversations.ts';
import type { MemberRow, NewMember, Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import type { ConversationAccess } from './conversationAccess.ts';
import { auditActor, type Caller, isOrgAdmin, newId, nowIso, whoOf } from './context.ts';
import { badRequest, conflict, forbidden, notFound } from './errors.ts';
import type { Realtime } from './realtime.ts';

const isMember = (row: MemberRow | undefined): row is MemberRow & { role: MemberRole } =>
  row?.role === 'owner' || row?.role === 'member';

/** Direct chats and groups small enough show who has read what ("Seen by"). */
export const showsReceipts = (c: Conversation): boolean =>
  (c.kind === 'direct' || c.kind === 'group') && (c.memberIds?.length ?? 0) <= CONVERSATION_LIMITS.receiptsUpTo;

/** A direct chat's pair, whoever starts it: one per pair and organisation. */
const directKey = (a: string, b: string): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

/**
 * Direct chats, group chats and channels: starting them, their members, names, archiving and
 * read positions. Who may read what is `conversationAccess.ts`; every change of membership, name
 * or archiving tells it (realtime's `conversationChanged`) before anyone hears of the change, so
 * delivery and writes follow at once.
 */
export function conversationService(store: Store, realtime: Realtime, access: ConversationAccess, audit: AuditService) {
  /** Membership changes of private conversations go to the audit log: who gave or took away access. */
  const audited = (
    caller: Caller,
    conversation: Conversation,
    action:
      | 'conversation.members_added'
      | 'conversation.member_removed'
      | 'conversation.member_left'
      | 'conversation.member_role_changed',
    detail: Readonly<Record<string, string | boolean>>,
  ) =>
    audit.record({
      organisationId: conversation.organisationId,
      action,
      actor: auditActor(caller),
      target: {
        kind: 'conversation',
        id: conversation.id,
        label: conversation.name === '' ? `${conversation.kind} chat` : conversation.name,
      },
      origin: caller.origin,
      detail: { kind: conversation.kind, ...detail },
    });

  /** The conversations as the caller sees them: their role, read position, unread and mentions. */
  async function entries(caller: Caller, listed: readonly Listed[]): Promise<ConversationEntry[]> {
    const withReadPosition = listed.filter((l) => l.row?.lastReadSeq != null).map((l) => l.conversation.id);
    const counts = await store.conversations.unread(caller.user.id, withReadPosition);
    return listed.map(({ conversation, row }) => {
      const count = counts.get(conversation.id);
      return {
        ...conversation,
        self: {
          role: isMember(row) ? row.role : null,
          visibleFromSeq: row?.visibleFromSeq ?? 0,
          lastReadSeq: row?.lastReadSeq ?? null,
          unread: count?.unread ?? 0,
          mentions: count?.mentionBodies.filter((body) => mentions(body, caller.user.name)).length ?? 0,
          left: row?.leftAt != null,
        },
      };
    });
  }

  async function entry(caller: Caller, conversation: Conversation): Promise<ConversationEntry> {
    const row = await store.conversations.row(conversation.id, caller.user.id);
    const [one] = await entries(caller, [{ conversation, row }]);
    if (one === undefined) throw new Error('an entry went missing');
    return one;
  }

  async function readable(caller: Caller, conversationId: string) {
    const { conversation } = await access.readable(caller, conversationId);
    return { conversation, row: await store.conversations.row(conversation.id, caller.user.id) };
  }

  /** Everyone who hears of a conversation's changes: its members, or the organisation for a public one. */
  function tell(conversation: Conversation, message: ServerMessage, except: readonly string[] = []): void {
    if (conversation.memberIds === null) realtime.toOrg(conversation.organisationId, message);
    else realtime.toUsers(new Set(conversation.memberIds.filter((id) => !except.includes(id))), message);
  }

  /**
   * People who may join a private conversation: active people of the organisation who are not
   * guests, not the caller, not members already. Anything else is 400 naming the entry.
   */
  async function checkPeople(
    caller: Caller,
    ids: readonly string[],
    field: string,
    members: readonly string[],
  ): Promise<void> {
    const people = new Map((await store.identity.usersIn(caller.user.organisationId, ids)).map((u) => [u.id, u]));
    const issues = ids.flatMap((id, i) => {
      const person = people.get(id);
      const problem =
        person === undefined
          ? 'no such person in your organisation'
          : id === caller.user.id
            ? 'you are in it already'
            : members.includes(id)
              ? 'already a member'
              : person.role === 'guest'
                ? 'guests cannot join direct chats, groups or private channels'
                : person.status !== 'active'
                  ? 'this person is deactivated'
                  : undefined;
      return problem === undefined ? [] : [{ path: `${field}.${i}`, message: problem }];
    });
    if (issues.length > 0) throw badRequest('some of these people cannot be added', issues);
  }

  const refuseGuests = (caller: Caller, what: string): void => {
    if (caller.user.role === 'guest') throw forbidden(`guests cannot ${what}`);
  };

  /** Creates a conversation with its first members; everyone who may read it hears of it. */
  async function create(
    caller: Caller,
    fields: Pick<Conversation, 'kind' | 'name' | 'private'>,
    others: readonly string[],
    directPair?: string,
  ): Promise<ConversationEntry> {
    const now = nowIso();
    const id = newId();
    const members: NewMember[] = [
      {
        userId: caller.user.id,
        role: fields.kind === 'direct' ? 'member' : 'owner',
        visibleFromSeq: 0,
        lastReadSeq: 0,
      },
      ...others.map((userId): NewMember => ({ userId, role: 'member', visibleFromSeq: 0, lastReadSeq: 0 })),
    ];
    const conversation: Conversation = {
      id,
      organisationId: caller.user.organisationId,
      ...fields,
      meetingId: null,
      archivedAt: null,
      memberIds: fields.private ? members.map((m) => m.userId) : null,
      createdBy: caller.user.id,
      latestSeq: 0,
      createdAt: now,
    };
    await store.conversations.insert(
      conversation,
      { directKey: directPair ?? null },
      // A public channel keeps only its creator's row: everyone else reads it by being in the organisation.
      fields.private ? members : members.slice(0, 1),
      now,
    );
    realtime.conversationChanged(id);
    // Those a group or private channel starts with were given access too (a direct chat is its pair).
    if (fields.private && fields.kind !== 'direct' && others.length > 0)
      await audited(caller, conversation, 'conversation.members_added', {
        userIds: others.join(','),
        history: true,
        atCreation: true,
      });
    tell(conversation, { type: 'conversation.created', conversation });
    return entry(caller, conversation);
  }

  /**
   * The changed conversation, told to whoever reads it but `except` (people just added hear of it
   * their own way), and answered as the caller sees it.
   */
  async function changed(caller: Caller, conversationId: string, except: readonly string[] = []) {
    realtime.conversationChanged(conversationId);
    const { conversation } = await access.readable(caller, conversationId);
    tell(conversation, { type: 'conversation.changed', conversation, changedBy: whoOf(caller) }, except);
    return { conversation, entry: await entry(caller, conversation) };
  }

  /** Ends `userId`'s membership: their delivery stops now, their clients drop it, the rest hear. */
  async function removeFrom(caller: Caller, conversation: Conversation, userId: string, reason: 'left' | 'removed') {
    if (!(await store.conversations.removeMember(conversation.id, userId))) throw notFound('member');
    realtime.conversationChanged(conversation.id);
    realtime.toUsers(new Set([userId]), {
      type: 'conversation.removed',
      conversationId: conversation.id,
      reason,
      by: whoOf(caller),
    });
    await audited(
      caller,
      conversation,
      reason === 'left' ? 'conversation.member_left' : 'conversation.member_removed',
      {
        userId,
      },
    );
    const now = await store.chat.get(conversation.organisationId, conversation.id);
    if (now !== undefined) tell(now, { type: 'conversation.changed', conversation: now, changedBy: whoOf(caller) });
  }

  const lastOwner = async (conversationId: string, userId: string): Promise<boolean> => {
    const owners = (await store.conversations.rows(conversationId)).filter((r) => r.role === 'owner');
    return owners.length === 1 && owners[0]?.userId === userId;
  };

  async function get(caller: Caller, conversationId: string): Promise<ConversationEntry> {
    const { conversation, row } = await readable(caller, conversationId);
    const [one] = await entries(caller, [{ conversation, row }]);
    if (one === undefined) throw new Error('an entry went missing');
    return one;
  }

  /** A private conversation's members; read positions only where it shows them (and one's own). */
  async function members(caller: Caller, conversationId: string): Promise<ConversationMember[]> {
    const { conversation } = await access.readable(caller, conversationId);
    if (!conversation.private) throw badRequest('everyone in the organisation reads this conversation');
    const receipts = showsReceipts(conversation);
    return (await store.conversations.rows(conversation.id)).filter(isMember).map((r) => ({
      userId: r.userId,
      role: r.role,
      joinedAt: r.joinedAt,
      visibleFromSeq: r.visibleFromSeq,
      lastReadSeq: receipts || r.userId === caller.user.id ? (r.lastReadSeq ?? 0) : null,
    }));
  }

  /**
   * Leaves a group or a channel. The last owner of a private channel stays until it is archived
   * (or someone else is made an owner). A public channel left is no longer followed.
   */
  async function leave(caller: Caller, conversationId: string): Promise<void> {
    const { conversation, row } = await readable(caller, conversationId);
    if (conversation.kind === 'direct' || conversation.kind === 'meeting')
      throw badRequest(`a ${conversation.kind === 'direct' ? 'direct' : "meeting's"} chat is not left`);
    if (!conversation.private) {
      await store.conversations.setLeft(conversation.id, caller.user.id, nowIso(), nowIso());
      realtime.conversationChanged(conversation.id);
      realtime.toUsers(new Set([caller.user.id]), {
        type: 'conversation.removed',
        conversationId: conversation.id,
        reason: 'left',
        by: whoOf(caller),
      });
      return;
    }
    if (
      conversation.kind === 'channel' &&
      conversation.archivedAt === null &&
      row?.role === 'owner' &&
      (await lastOwner(conversation.id, caller.user.id))
    )
      throw conflict('the last owner cannot leave: make someone else an owner, or archive the channel first');
    await removeFrom(caller, conversation, caller.user.id, 'left');
  }

  return {
    /** `include: 'active'` leaves out archived conversations and public channels the caller left. */
    async list(caller: Caller, include: 'active' | 'all'): Promise<ConversationEntry[]> {
      const listed = await store.conversations.listFor(caller.user.organisationId, caller.user.id);
      const reaches = await access.reachIn(caller, listed);
      const shown = listed.filter(
        (l, i) =>
          reaches[i] !== null && (include === 'all' || (l.conversation.archivedAt === null && l.row?.leftAt == null)),
      );
      return entries(caller, shown);
    },

    get,

    async createChannel(caller: Caller, req: CreateChannelRequest): Promise<ConversationEntry> {
      refuseGuests(caller, 'create channels');
      const members = req.memberIds ?? [];
      if (req.private !== true && members.length > 0)
        throw badRequest('a public channel has no member list: everyone in the organisation reads it');
      await checkPeople(caller, members, 'memberIds', []);
      return create(caller, { kind: 'channel', name: req.name, private: req.private === true }, members);
    },

    /** The caller's direct chat with `userId`: started once per pair, answered again after. */
    async startDirect(caller: Caller, userId: string): Promise<ConversationEntry> {
      refuseGuests(caller, 'start direct chats');
      if (userId === caller.user.id) throw badRequest('a direct chat is between two people');
      const person = await store.identity.getUser(caller.user.organisationId, userId);
      if (person === undefined) throw notFound('person');
      const pair = directKey(caller.user.id, userId);
      const known = await store.conversations.direct(caller.user.organisationId, pair);
      if (known !== undefined) return get(caller, known);
      if (person.role === 'guest') throw forbidden('guests cannot join direct chats');
      if (person.status !== 'active') throw badRequest('this person is deactivated');
      try {
        return await create(caller, { kind: 'direct', name: '', private: true }, [userId], pair);
      } catch (error) {
        // Both started it at once: the pair's one chat is the other request's.
        const raced = await store.conversations.direct(caller.user.organisationId, pair);
        if (raced === undefined) throw error;
        return get(caller, raced);
      }
    },

    async createGroup(caller: Caller, req: CreateGroupRequest): Promise<ConversationEntry> {
      refuseGuests(caller, 'start group chats');
      await checkPeople(caller, req.memberIds, 'memberIds', []);
      return create(caller, { kind: 'group', name: req.name ?? '', private: true }, req.memberIds);
    },

    /**
     * Renames (channels, groups) and archives or unarchives (channels). A public channel: its
     * creator and the organisation's owners and admins; a private channel: its owners; a group:
     * any member (no archiving). Direct chats and meeting chats take neither.
     */
    async update(caller: Caller, conversationId: string, req: UpdateConversationRequest): Promise<ConversationEntry> {
      const { conversation, row } = await readable(caller, conversationId);
      if (conversation.kind === 'direct' || conversation.kind === 'meeting')
        throw badRequest(
          `a ${conversation.kind === 'direct' ? 'direct' : "meeting's"} chat is neither renamed nor archived`,
        );
      if (conversation.kind === 'group') {
        if (req.archived !== undefined) throw badRequest('group chats are not archived: leave one instead');
      } else {
        if (req.name === '') throw badRequest('a channel needs a name', [{ path: 'name', message: 'empty' }]);
        const manages = conversation.private
          ? row?.role === 'owner'
          : isOrgAdmin(caller) || conversation.createdBy === caller.user.id;
        if (!manages)
          throw forbidden(
            conversation.private
              ? "only the channel's owners may do this"
              : "only the channel's creator and the organisation's admins may do this",
          );
      }
      const archivedAt =
        req.archived === undefined || req.archived === (conversation.archivedAt !== null)
          ? undefined
          : req.archived
            ? nowIso()
            : null;
      const name = req.name === undefined || req.name === conversation.name ? undefined : req.name;
      if (name === undefined && archivedAt === undefined) return entry(caller, conversation);
      if (conversation.archivedAt !== null && archivedAt === undefined)
        throw forbidden('the conversation is archived: unarchive it first');
      await store.conversations.update(conversation.id, {
        ...(name === undefined ? {} : { name }),
        ...(archivedAt === undefined ? {} : { archivedAt }),
      });
      return (await changed(caller, conversation.id)).entry;
    },

    members,

    /** Any member adds people to a group or private channel, with the history or from now on. */
    async addMembers(caller: Caller, conversationId: string, req: AddMembersRequest): Promise<ConversationEntry> {
      const { conversation } = await readable(caller, conversationId);
      if (conversation.kind === 'direct')
        throw badRequest('a direct chat is between two people: start a group with them instead');
      if (!conversation.private) throw badRequest('everyone in the organisation reads this conversation already');
      if (conversation.archivedAt !== null) throw forbidden('the conversation is archived: it is read-only');
      const current = conversation.memberIds ?? [];
      await checkPeople(caller, req.userIds, 'userIds', current);
      if (current.length + req.userIds.length > CONVERSATION_LIMITS.maxMembers)
        throw badRequest(`at most ${CONVERSATION_LIMITS.maxMembers} members`);
      const visibleFromSeq = await store.conversations.addMembers(conversation.id, req.userIds, req.history, nowIso());
      await audited(caller, conversation, 'conversation.members_added', {
        userIds: req.userIds.join(','),
        history: req.history,
      });
      const now = await changed(caller, conversation.id, req.userIds);
      realtime.toUsers(new Set(req.userIds), {
        type: 'conversation.added',
        conversation: now.conversation,
        visibleFromSeq,
        addedBy: whoOf(caller),
      });
      return now.entry;
    },

    /** A private channel's owners make members owners or not; its last owner stays one. */
    async setRole(
      caller: Caller,
      conversationId: string,
      userId: string,
      role: MemberRole,
    ): Promise<ConversationMember> {
      const { conversation, row } = await readable(caller, conversationId);
      if (conversation.kind !== 'channel' || !conversation.private)
        throw badRequest('only private channels have owners');
      if (row?.role !== 'owner') throw forbidden("only the channel's owners may do this");
      const target = await store.conversations.row(conversation.id, userId);
      if (!isMember(target)) throw notFound('member');
      if (role === 'member' && (await lastOwner(conversation.id, userId)))
        throw conflict('a private channel keeps at least one owner');
      await store.conversations.setRole(conversation.id, userId, role);
      await audited(caller, conversation, 'conversation.member_role_changed', { userId, role });
      await changed(caller, conversation.id);
      const member = (await members(caller, conversation.id)).find((m) => m.userId === userId);
      if (member === undefined) throw notFound('member');
      return member;
    },

    /** Removes someone else: any member of a group, a private channel's owners. Oneself: `leave`. */
    async removeMember(caller: Caller, conversationId: string, userId: string): Promise<void> {
      if (userId === caller.user.id) return leave(caller, conversationId);
      const { conversation, row } = await readable(caller, conversationId);
      if (conversation.kind === 'direct') throw badRequest('a direct chat is between two people');
      if (!conversation.private) throw badRequest('everyone in the organisation reads this conversation');
      if (conversation.kind === 'channel' && row?.role !== 'owner')
        throw forbidden("only the channel's owners remove people");
      await removeFrom(caller, conversation, userId, 'removed');
    },

    leave,

    /** Follows a public channel the caller left, again. */
    async join(caller: Caller, conversationId: string): Promise<ConversationEntry> {
      const { conversation } = await access.readable(caller, conversationId);
      if (conversation.private || conversation.kind !== 'channel')
        throw badRequest('only public channels are joined; private ones add their members');
      await store.conversations.setLeft(conversation.id, caller.user.id, null, nowIso());
      realtime.conversationChanged(conversation.id);
      const result = await entry(caller, conversation);
      realtime.toUsers(new Set([caller.user.id]), {
        type: 'conversation.added',
        conversation,
        visibleFromSeq: 0,
        addedBy: whoOf(caller),
      });
      return result;
    },

    /**
     * Moves the caller's read position. Their own other clients hear of it; so do the other members
     * of a direct chat or a small group ("Seen by").
     */
    async markRead(caller: Caller, conversationId: string, seq: number): Promise<ReadReceipt> {
      const { conversation } = await access.readable(caller, conversationId);
      const read = await store.conversations.markRead(conversation.id, caller.user.id, seq, nowIso());
      const receipt: ReadReceipt = { conversationId: conversation.id, userId: caller.user.id, seq: read.seq };
      if (read.moved) {
        const audience = new Set([
          caller.user.id,
          ...(showsReceipts(conversation) ? (conversation.memberIds ?? []) : []),
        ]);
        realtime.toUsers(audience, { type: 'conversation.read', receipt });
      }
      return receipt;
    },
  };
}

export type ConversationService = ReturnType<typeof conversationService>;
