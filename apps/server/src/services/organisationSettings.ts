import type { OrganisationSettings } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { type Caller, isOrgAdmin } from './context.ts';
import { forbidden, found } from './errors.ts';

/** What IT decided for the whole server (its environment): it bounds every organisation's own choice. */
export type ServerPolicy = {
  /** False: no organisation admits people from outside by link. */
  readonly externalGuests: boolean;
  /** False: no organisation records meetings. */
  readonly recording: boolean;
  /** False: no organisation's meetings are transcribed (no live captions either). */
  readonly transcription: boolean;
};

/**
 * An organisation's settings, which its owners and admins choose. What holds is their choice
 * within IT's policy: a feature IT turned off reads as off, whatever the organisation chose.
 */
export function organisationSettingsService(store: Store, policy: ServerPolicy, audit: AuditService) {
  async function own(organisationId: string): Promise<OrganisationSettings> {
    return found(await store.identity.organisationSettings(organisationId), 'organisation');
  }

  async function effective(organisationId: string): Promise<OrganisationSettings> {
    const chosen = await own(organisationId);
    return {
      ...chosen,
      externalGuests: policy.externalGuests && chosen.externalGuests,
      recording: policy.recording && chosen.recording,
      transcription: policy.transcription && chosen.transcription,
    };
  }

  return {
    policy,
    /** The organisation's own choices, before IT's policy (to say which of the two turned a feature off). */
    own,
    effective,

    settings: (caller: Caller) => effective(caller.user.organisationId),

    async update(caller: Caller, patch: Partial<OrganisationSettings>): Promise<OrganisationSettings> {
      if (!isOrgAdmin(caller)) throw forbidden("only owners and admins change the organisation's settings");
      const before = await effective(caller.user.organisationId);
      await store.identity.updateOrganisationSettings(caller.user.organisationId, patch);
      const after = await effective(caller.user.organisationId);
      await audit.byCaller(caller, 'organisation.settings_changed', {
        target: { kind: 'organisation', id: caller.user.organisationId },
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

export type OrganisationSettingsService = ReturnType<typeof organisationSettingsService>;
