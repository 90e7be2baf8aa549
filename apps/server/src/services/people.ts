import type { AuditActor, RequestOrigin, UpdateUserRequest, User } from '@tandem/shared';
import type { Livekit } from '../livekit/index.ts';
import type { Store, UserChange, UserPatch } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { meetingOfBreakoutRoom } from './breakouts.ts';
import { auditActor, type Caller, isOrgAdmin, nowIso, personTarget } from './context.ts';
import { badRequest, conflict, forbidden, found, notFound } from './errors.ts';
import { meetingOfRoom, type MeetingService } from './meetings.ts';
import type { PresenceService } from './presence.ts';
import type { Realtime } from './realtime.ts';

/** Owners and admins manage people; only an owner changes an owner or makes one. */
function mayChange(caller: Caller, current: User, patch: UserPatch): void {
  if (!isOrgAdmin(caller)) throw forbidden('only owners and admins change people');
  if (caller.user.role !== 'owner' && (current.role === 'owner' || patch.role === 'owner'))
    throw forbidden('only an owner changes an owner or makes one');
}

/**
 * The organisation's identity provider (SCIM) manages the organisation's own people, owners
 * included (it is where people join and leave), but never roles, and it does not see guests.
 */
function mayProvision(current: User, patch: UserPatch): void {
  if (current.role === 'guest') throw notFound('user');
  if (patch.role !== undefined) throw forbidden('provisioning does not change roles');
}

/** An organisation keeps one active owner: the last one is neither demoted nor deactivated. */
function keepsAnOwner(current: User, patch: UserPatch, activeOwners: number): void {
  const wasOwner = current.role === 'owner' && current.status === 'active';
  const staysOwner = (patch.role ?? current.role) === 'owner' && (patch.status ?? current.status) === 'active';
  if (wasOwner && !staysOwner && activeOwners <= 1)
    throw conflict('the organisation’s last owner stays an active owner; make someone else an owner first');
}

/** The organisation's identity provider as it acts on people (SCIM), for the audit log. */
export type Provisioner = {
  readonly organisationId: string;
  readonly actor: AuditActor;
  readonly origin: RequestOrigin;
};

/** Who changes a person: an owner or admin in the app, or the organisation's identity provider. */
type Changer = { readonly kind: 'person'; readonly caller: Caller } | ({ readonly kind: 'provisioning' } & Provisioner);

const organisationOf = (changer: Changer): string =>
  changer.kind === 'person' ? changer.caller.user.organisationId : changer.organisationId;

/**
 * Changing people: roles, names, and offboarding. Deactivation is one transaction in the store
 * (the person marked, every session revoked); then their live WebSockets close with the
 * `deactivated` reason, they go offline for the organisation, their waiting lobby entries are
 * removed (hosts' lobbies update) and LiveKit drops them from every room of the organisation's
 * meetings. Their record stays, so what they wrote keeps its author. The same path serves an
 * administrator and the identity provider (SCIM `active: false`, DELETE).
 */
export function peopleService(
  store: Store,
  livekit: Livekit,
  realtime: Realtime,
  presence: PresenceService,
  meetings: Pick<MeetingService, 'deactivated'>,
  audit: AuditService,
) {
  async function change(changer: Changer, userId: string, patch: UserPatch): Promise<UserChange> {
    const changed = await store.identity.changeUser(
      organisationOf(changer),
      userId,
      (current, activeOwners) => {
        if (changer.kind === 'person') mayChange(changer.caller, current, patch);
        else mayProvision(current, patch);
        keepsAnOwner(current, patch, activeOwners);
        return patch;
      },
      nowIso(),
    );
    return found(changed, 'user');
  }

  /** Every room of the organisation's meetings (main and breakout) that LiveKit holds open. */
  async function removeFromRooms(organisationId: string, userId: string): Promise<void> {
    const meetings = new Set((await store.meetings.list(organisationId)).map((m) => m.id));
    for (const { name: room } of await livekit.heldRooms()) {
      const meetingId = meetingOfRoom(room) ?? meetingOfBreakoutRoom(room);
      if (meetingId !== undefined && meetings.has(meetingId)) await livekit.remove(room, userId);
    }
  }

  /** What follows a change the store made: access ends with a deactivation, and is renewed with a new role. */
  async function settle({ before, after, endedSessions }: UserChange, deactivating: boolean): Promise<void> {
    // Open connections were authenticated with the old role; they come back with the new one.
    if (before.role !== after.role) realtime.endUser(after.id, 'role_changed');
    // Repeated for someone already deactivated (say, after LiveKit was unreachable).
    if (!deactivating || after.status !== 'deactivated') return;
    for (const sessionId of endedSessions) realtime.endSession(sessionId, 'deactivated');
    await presence.deactivated(after.organisationId, after.id);
    await meetings.deactivated(after.organisationId, after.id);
    await removeFromRooms(after.organisationId, after.id);
  }

  /**
   * What the audit log keeps of a change: a role or status that changed, a deletion by the
   * identity provider, or which attributes changed (`directoryChanged`: the provider's own).
   */
  async function record(
    changer: Changer,
    { before, after }: UserChange,
    patch: UserPatch,
    directoryChanged: readonly string[],
  ): Promise<void> {
    const entry = {
      organisationId: after.organisationId,
      actor: changer.kind === 'person' ? auditActor(changer.caller) : changer.actor,
      origin: changer.kind === 'person' ? changer.caller.origin : changer.origin,
      target: personTarget(after),
    };
    if (before.role !== after.role) {
      await audit.record({ ...entry, action: 'person.role_changed', detail: { from: before.role, to: after.role } });
    }
    if (before.status !== after.status) {
      await audit.record({
        ...entry,
        action: after.status === 'deactivated' ? 'person.deactivated' : 'person.reactivated',
      });
    }
    if (patch.directory?.deleted === true) {
      await audit.record({ ...entry, action: 'person.deleted' });
      return;
    }
    const fields = [
      ...(before.name === after.name ? [] : ['name']),
      ...(before.email === after.email ? [] : ['email']),
      ...directoryChanged,
    ];
    if (fields.length > 0)
      await audit.record({ ...entry, action: 'person.updated', detail: { fields: fields.join(',') } });
  }

  /** Changes a person, records it, and lets the change take effect. */
  async function apply(
    changer: Changer,
    userId: string,
    patch: UserPatch,
    directoryChanged: readonly string[] = [],
  ): Promise<UserChange> {
    const changed = await change(changer, userId, patch);
    await record(changer, changed, patch, directoryChanged);
    await settle(changed, patch.status === 'deactivated');
    return changed;
  }

  return {
    async update(caller: Caller, userId: string, req: UpdateUserRequest): Promise<User> {
      const patch = {
        ...(req.role === undefined ? {} : { role: req.role }),
        ...(req.name === undefined ? {} : { name: req.name }),
      };
      return (await apply({ kind: 'person', caller }, userId, patch)).after;
    },

    /** Idempotent: deactivating again repeats the removal from LiveKit (say, after it was unreachable). */
    async deactivate(caller: Caller, userId: string): Promise<User> {
      if (userId === caller.user.id) throw badRequest('you cannot deactivate yourself');
      return (await apply({ kind: 'person', caller }, userId, { status: 'deactivated' })).after;
    },

    async reactivate(caller: Caller, userId: string): Promise<User> {
      return (await apply({ kind: 'person', caller }, userId, { status: 'active' })).after;
    },

    /**
     * The identity provider's change (SCIM): its directory attributes, name, e-mail and status at
     * once. `directoryChanged` names the provider's attributes that changed, for the audit log.
     */
    provision: (
      by: Provisioner,
      userId: string,
      patch: UserPatch,
      directoryChanged: readonly string[],
    ): Promise<UserChange> => apply({ kind: 'provisioning', ...by }, userId, patch, directoryChanged),
  };
}

export type PeopleService = ReturnType<typeof peopleService>;
