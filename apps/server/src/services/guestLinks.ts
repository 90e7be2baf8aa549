import type { GuestJoinRequest, GuestJoinResult, Meeting, OrganisationSettings, RequestOrigin } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { AuthService } from './auth.ts';
import type { AuditService } from './audit.ts';
import { auditActor, type Caller, isOrgAdmin } from './context.ts';
import { forbidden, found } from './errors.ts';
import { openForKnocks, type MeetingService } from './meetings.ts';

/**
 * Join links for people from outside. Anyone with a meeting's https link may knock: they get a
 * guest session scoped to that meeting and wait in its lobby, unless IT (`externalGuests: false`
 * in the server's config) or the meeting's organisation turned external guests off.
 */
export function guestLinkService(
  store: Store,
  auth: AuthService,
  meetings: MeetingService,
  audit: AuditService,
  options: { readonly externalGuests: boolean },
) {
  async function settings(organisationId: string): Promise<OrganisationSettings> {
    const own = found(await store.identity.organisationSettings(organisationId), 'organisation');
    return { externalGuests: options.externalGuests && own.externalGuests };
  }

  return {
    /** The meeting behind a link, and whether outsiders may knock on it (for the landing page). */
    async landing(code: string): Promise<{ meeting: Meeting; externalGuests: boolean } | undefined> {
      const meeting = await store.meetings.byJoinCodeAnywhere(code);
      if (meeting === undefined) return undefined;
      return { meeting, externalGuests: (await settings(meeting.organisationId)).externalGuests };
    },

    async knock(code: string, req: GuestJoinRequest, origin: RequestOrigin): Promise<GuestJoinResult> {
      const meeting = found(await store.meetings.byJoinCodeAnywhere(code), 'meeting');
      if (!(await settings(meeting.organisationId)).externalGuests) {
        throw forbidden('this organisation does not let people from outside join by link');
      }
      openForKnocks(meeting);
      const session = await auth.externalGuest(meeting.organisationId, req.name, req.email, origin);
      const caller: Caller = await auth.authenticate(session.tokens.accessToken, origin);
      const join = await meetings.knockByLink(caller, meeting, req.name);
      return { session, join };
    },

    settings: (caller: Caller) => settings(caller.user.organisationId),

    async updateSettings(caller: Caller, patch: Partial<OrganisationSettings>): Promise<OrganisationSettings> {
      if (!isOrgAdmin(caller)) throw forbidden("only owners and admins change the organisation's settings");
      const before = await settings(caller.user.organisationId);
      await store.identity.updateOrganisationSettings(caller.user.organisationId, patch);
      const after = await settings(caller.user.organisationId);
      await audit.record({
        organisationId: caller.user.organisationId,
        action: 'organisation.settings_changed',
        actor: auditActor(caller),
        target: { kind: 'organisation', id: caller.user.organisationId },
        origin: caller.origin,
        // Each setting asked for, as it was and as it holds now (IT's policy may keep one off).
        detail: Object.fromEntries(
          (Object.keys(patch) as (keyof OrganisationSettings)[]).flatMap((key) => [
            [`${key}.was`, before[key]],
            [`${key}.now`, after[key]],
          ]),
        ),
      });
      return after;
    },
  };
}

export type GuestLinkService = ReturnType<typeof guestLinkService>;
