import { randomBytes } from 'node:crypto';
import {
  registrantJoinPath,
  type GuestJoinResult,
  type Meeting,
  type RegisterRequest,
  type Registrant,
  type RegistrantDecision,
  type RegistrationForm,
  type RegistrationResult,
  type RegistrationSettings,
  type RequestOrigin,
} from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { csvCell } from './auditLog.ts';
import { hashToken, type AuthService } from './auth.ts';
import type { AuditService } from './audit.ts';
import { auditActor, type Caller, newId, nowIso } from './context.ts';
import { ServiceError, badRequest, conflict, forbidden, found, notFound } from './errors.ts';
import type { LinkedService } from './linked.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import { openForKnocks, type MeetingService } from './meetings.ts';
import type { OrganisationSettingsService } from './organisationSettings.ts';

/** A webinar without registration set up takes none. */
const CLOSED: RegistrationSettings = { open: false, approval: 'automatic', capacity: null, questions: [] };

const over = (m: Meeting): boolean => m.status === 'ended' || m.status === 'cancelled';

/** 256 bits, URL-safe: the registrant's link; the server keeps only its SHA-256. */
const newToken = (): string => randomBytes(32).toString('base64url');

/**
 * Webinar registration: hosts open it (approval automatic or by hand, a capacity, their own
 * questions); anyone with the webinar's code registers on its public page; each approved
 * registrant gets a join link of their own (revocable), which makes a guest session for the
 * webinar: let in at once while it is live, waiting until then. No e-mail is sent (the server has
 * no mail transport): the registrant's confirmation, or the host's approval, carries the link.
 */
export function registrationService(
  store: Store,
  access: MeetingAccess,
  auth: AuthService,
  meetings: MeetingService,
  organisation: OrganisationSettingsService,
  linked: LinkedService,
  publicUrl: () => string,
  audit: AuditService,
) {
  async function webinarAsHost(caller: Caller, meetingId: string): Promise<Meeting> {
    const meeting = await access.asHost(caller, meetingId);
    if (meeting.type !== 'webinar') throw conflict('only a webinar takes registrations');
    return meeting;
  }

  /** The webinar behind a public code, with its registration; 404 unless it has one. */
  async function published(code: string): Promise<{ meeting: Meeting; settings: RegistrationSettings }> {
    const meeting = await store.meetings.byJoinCodeAnywhere(code.toLowerCase());
    const settings = meeting === undefined ? undefined : await store.registration.settings(meeting.id);
    if (meeting === undefined || meeting.type !== 'webinar' || settings === undefined) throw notFound('registration');
    return { meeting, settings };
  }

  async function ics(meeting: Meeting): Promise<string | null> {
    return meeting.startsAt === null ? null : (await linked.eventFileOf(meeting)).body;
  }

  const joinUrl = (token: string): string => `${publicUrl()}${registrantJoinPath(token)}`;

  return {
    settings: async (caller: Caller, meetingId: string): Promise<RegistrationSettings> =>
      (await store.registration.settings((await webinarAsHost(caller, meetingId)).id)) ?? CLOSED,

    async setSettings(
      caller: Caller,
      meetingId: string,
      settings: RegistrationSettings,
    ): Promise<RegistrationSettings> {
      const meeting = await webinarAsHost(caller, meetingId);
      await store.registration.putSettings(meeting.id, settings, nowIso());
      return settings;
    },

    async form(code: string): Promise<RegistrationForm> {
      const { meeting, settings } = await published(code);
      const full = settings.capacity !== null && (await store.registration.seated(meeting.id)) >= settings.capacity;
      return {
        title: meeting.title,
        startsAt: meeting.startsAt,
        endsAt: meeting.endsAt,
        questions: settings.questions,
        accepting: settings.open && !over(meeting) && !full,
        full,
      };
    },

    /** The webinar as an ICS file, for anyone its registration page is open to. */
    async calendar(code: string): Promise<{ readonly filename: string; readonly body: string }> {
      return linked.eventFileOf((await published(code)).meeting);
    },

    /** Whether a registrant's link still works (the page behind it says so; joining is `join`). */
    async linkState(token: string): Promise<
      | { readonly status: 'unknown' }
      | {
          readonly status: Registrant['status'];
          readonly title: string;
          readonly startsAt: string | null;
          readonly live: boolean;
        }
    > {
      const registrant = await store.registration.byToken(hashToken(token));
      const meeting =
        registrant === undefined
          ? undefined
          : await store.meetings.get(registrant.organisationId, registrant.meetingId);
      if (registrant === undefined || meeting === undefined) return { status: 'unknown' };
      return {
        status: registrant.status,
        title: meeting.title,
        startsAt: meeting.startsAt,
        live: meeting.webinar?.liveSince != null,
      };
    },

    async register(code: string, req: RegisterRequest): Promise<RegistrationResult> {
      const { meeting, settings } = await published(code);
      if (!settings.open) throw forbidden('registration for this webinar is closed');
      if (over(meeting)) throw conflict(`the webinar is ${meeting.status}`);
      const answers = req.answers ?? {};
      const asked = new Set(settings.questions.map((q) => q.id));
      const issues = [
        ...settings.questions
          .filter((q) => q.required && (answers[q.id] ?? '').trim() === '')
          .map((q) => ({ path: `answers.${q.id}`, message: `required: ${q.label}` })),
        ...Object.keys(answers)
          .filter((id) => !asked.has(id))
          .map((id) => ({ path: `answers.${id}`, message: 'no such question' })),
      ];
      if (issues.length > 0) throw badRequest('some answers are missing or unknown', issues);
      const automatic = settings.approval === 'automatic';
      const token = automatic ? newToken() : undefined;
      const now = nowIso();
      const outcome = await store.registration.register(
        {
          id: newId(),
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          name: req.name,
          email: req.email.toLowerCase(),
          answers: Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.trim()])),
          status: automatic ? 'approved' : 'pending',
          createdAt: now,
          decidedAt: automatic ? now : null,
          joinedAt: null,
          tokenHash: token === undefined ? null : hashToken(token),
        },
        settings.capacity,
      );
      if (outcome === 'full') throw conflict('the webinar is full');
      if (outcome === 'already') throw conflict('this address is registered for the webinar already');
      return {
        status: automatic ? 'approved' : 'pending',
        joinUrl: token === undefined ? null : joinUrl(token),
        ics: await ics(meeting),
      };
    },

    async list(caller: Caller, meetingId: string): Promise<Registrant[]> {
      const meeting = await webinarAsHost(caller, meetingId);
      return (await store.registration.list(meeting.organisationId, meeting.id)).map(({ userId: _, ...r }) => r);
    },

    /**
     * Approving gives a new link (the old one, if any, stops working); denying or revoking keeps
     * the link known so it is refused with `link_revoked`, and drops the registrant from the room.
     */
    async decide(
      caller: Caller,
      meetingId: string,
      registrantId: string,
      status: 'approved' | 'denied' | 'revoked',
    ): Promise<RegistrantDecision> {
      const meeting = await webinarAsHost(caller, meetingId);
      const before = (await store.registration.list(meeting.organisationId, meeting.id)).find(
        (r) => r.id === registrantId,
      );
      if (before === undefined) throw notFound('registrant');
      const token = status === 'approved' ? newToken() : undefined;
      await store.registration.decide(before.id, status, token === undefined ? undefined : hashToken(token), nowIso());
      if (status !== 'approved' && before.userId !== null) await meetings.remove(caller, meeting.id, before.userId);
      const registrant = found(
        await store.registration.get(meeting.organisationId, meeting.id, before.id),
        'registrant',
      );
      await audit.record({
        organisationId: meeting.organisationId,
        action: 'webinar.registrant_decided',
        actor: auditActor(caller),
        target: { kind: 'registrant', id: registrant.id, label: `${registrant.name} <${registrant.email}>` },
        origin: caller.origin,
        detail: { meetingId: meeting.id, meeting: meeting.title, status },
      });
      return { registrant, joinUrl: token === undefined ? null : joinUrl(token) };
    },

    /**
     * A registrant's link: a guest session for the webinar, let in at once while it is live and
     * waiting until then (going live lets everyone waiting in).
     */
    async join(token: string, origin: RequestOrigin): Promise<GuestJoinResult> {
      const registrant = await store.registration.byToken(hashToken(token));
      if (registrant === undefined) throw notFound('registration');
      if (registrant.status === 'revoked') throw new ServiceError('link_revoked', 'this join link was revoked');
      if (registrant.status !== 'approved') throw forbidden(`the registration is ${registrant.status}`);
      const meeting = found(await store.meetings.get(registrant.organisationId, registrant.meetingId), 'meeting');
      if (!(await organisation.effective(meeting.organisationId)).externalGuests)
        throw forbidden('this organisation does not let people from outside join by link');
      openForKnocks(meeting);
      const session = await auth.externalGuest(meeting.organisationId, registrant.name, registrant.email, origin);
      const caller = await auth.authenticate(session.tokens.accessToken, origin);
      await store.registration.joined(registrant.id, caller.user.id, nowIso());
      if (meeting.webinar?.liveSince == null)
        return { session, join: await meetings.knockByLink(caller, meeting, registrant.name) };
      await store.meetings.putEntry(newId(), meeting.id, caller.user.id, 'admitted', nowIso(), registrant.name);
      return { session, join: await meetings.join(caller, meeting.id, { displayName: registrant.name }) };
    },

    /**
     * The registrants with their attendance (RFC 4180 CSV, formula-looking cells made text): one
     * row each, the hosts' questions as the last columns.
     */
    async csv(caller: Caller, meetingId: string): Promise<{ readonly filename: string; readonly body: string }> {
      const meeting = await webinarAsHost(caller, meetingId);
      const settings = (await store.registration.settings(meeting.id)) ?? CLOSED;
      const registrants = await store.registration.list(meeting.organisationId, meeting.id);
      const attendance = await store.activity.attendance(meeting.id);
      const now = Date.now();
      const minutes = (userId: string | null): string => {
        if (userId === null) return '0';
        const ms = attendance
          .filter((a) => a.userId === userId)
          .reduce((sum, a) => sum + (Date.parse(a.leftAt ?? new Date(now).toISOString()) - Date.parse(a.joinedAt)), 0);
        return String(Math.round(ms / 60_000));
      };
      const header = [
        'name',
        'email',
        'status',
        'registered_at',
        'decided_at',
        'first_joined_at',
        'minutes_attended',
        ...settings.questions.map((q) => q.label),
      ];
      const rows = registrants.map((r) => [
        r.name,
        r.email,
        r.status,
        r.createdAt,
        r.decidedAt ?? '',
        r.joinedAt ?? '',
        minutes(r.userId),
        ...settings.questions.map((q) => r.answers[q.id] ?? ''),
      ]);
      const body = [header, ...rows].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
      return { filename: 'registrants.csv', body };
    },
  };
}

export type RegistrationService = ReturnType<typeof registrationService>;
