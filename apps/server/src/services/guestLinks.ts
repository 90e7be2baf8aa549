import type { GuestJoinRequest, GuestJoinResult, Meeting, RequestOrigin } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { AuthService } from './auth.ts';
import type { Caller } from './context.ts';
import { forbidden, found } from './errors.ts';
import { openForKnocks, type MeetingService } from './meetings.ts';
import type { OrganisationSettingsService } from './organisationSettings.ts';

/**
 * Join links for people from outside. Anyone with a meeting's https link may knock: they get a
 * guest session scoped to that meeting and wait in its lobby, unless IT (`externalGuests: false`
 * in the server's config) or the meeting's organisation turned external guests off.
 */
export function guestLinkService(
  store: Store,
  auth: AuthService,
  meetings: MeetingService,
  organisation: OrganisationSettingsService,
) {
  const settings = organisation.effective;

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
  };
}

export type GuestLinkService = ReturnType<typeof guestLinkService>;
