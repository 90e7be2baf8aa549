import { createHash, randomBytes } from 'node:crypto';
import {
  isConsentRedirect,
  joinUrls,
  MeetingTitleSchema,
  parseMeetingLink,
  TimeZoneSchema,
  serializeCalendar,
  SPECIAL_PATHS,
  seriesRefusal,
  type Calendar,
  type CalendarEntry,
  type CalendarEvent,
  type CalendarFeedLink,
  type ConnectionScope,
  type ConsentRequest,
  type ConsentUrl,
  type LinkedMeeting,
  type LinkedMeetingRecord,
  type Meeting,
  type OAuthProviderId,
  type ProviderConnection,
  type ProviderId,
  type ProviderList,
  type ZoomConnectRequest,
} from '@tandem/shared';
import type { Config } from '../config.ts';
import {
  createProviderRegistry,
  createTokenVault,
  handleZoomWebhook,
  parseVaultKeyring,
  type CalendarChange,
  type CredentialStore,
  graphValidationResponse,
  newPkce,
  parseGraphNotifications,
  ProviderError,
  providerErrorToApi,
  sameSecret,
  type CredentialKey,
  type GraphChange,
  type ProviderRegistry,
  type UpdateMeetingInput,
  type WebhookReply,
  windowsZone,
} from '../providers/index.ts';
import type { CalendarNotification, CalendarSubscription } from '../store/calendarSubscriptions.ts';
import type { Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { isOrgAdmin, newId, nowIso, type Caller, whoOf } from './context.ts';
import { badRequest, forbidden, notFound, ServiceError } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import { queueWorker, retryDelayMs } from './queueWorker.ts';
import type { Log, Realtime } from './realtime.ts';
import {
  adoptedRule,
  DEFAULT_LENGTH_MS,
  endOfDay,
  exdateLine,
  exdateSpans,
  isRuleStart,
  occurrencesOf,
  ruleStarts,
  wallClock,
  type OccurrenceChange,
  type ScheduleChange,
} from './recurrence.ts';

/** The providers this deployment offers and the registry serving them; absent: none is offered. */
export type LinkedProviders = { readonly registry: ProviderRegistry; readonly offered: ReadonlySet<ProviderId> };

const PROVIDERS: readonly ProviderId[] = ['microsoft', 'zoom', 'google'];
const CONSENT_TTL_MS = 10 * 60_000;
/** How long a calendar subscription is asked for (Graph keeps Outlook event subscriptions under 3 days). */
const SUBSCRIPTION_MS = 2 * 24 * 3600_000;
/** Subscriptions expiring within this are renewed by the sweep. */
const RENEW_WITHIN_MS = 12 * 3600_000;
export const CALENDAR_RENEW_MS = 30 * 60_000;
/** Calendar notifications followed at once; the rest wait for the next batch. */
const NOTIFICATION_BATCH = 8;
/** Attempts per queued notification (the first included), the first retry after 5-10 s, doubling: about 3 minutes. */
const NOTIFICATION_ATTEMPTS = 6;
const NOTIFICATION_RETRY_BASE_MS = 10_000;
/** A notification being followed is someone else's to follow again after this (its instance died mid-way). */
const NOTIFICATION_CLAIM_MS = 2 * 60_000;
const APP_NAMES: Readonly<Record<Exclude<LinkedMeeting['provider'], 'tandem'>, string>> = {
  teams: 'Microsoft Teams',
  zoom: 'Zoom',
  meet: 'Google Meet',
};

/** Who changed something in a provider's calendar, or a meeting's link, as those told of it see them. */
type Changer = { readonly id: string; readonly name: string };

/**
 * What a provider's calendar changes in our meetings, and a link made or removed, with those they
 * concern told (meetings.ts).
 */
export type CalendarFollowing = {
  /** A meeting rewritten from its provider's calendar, stored already. */
  readonly followed: (before: Meeting, after: Meeting, by: Changer) => Promise<void>;
  /** A series carried on there as a new far series: a new meeting linked to it; undefined when linked already. */
  readonly carriedOn: (
    original: Meeting,
    schedule: Pick<Meeting, 'title' | 'startsAt' | 'endsAt' | 'timeZone' | 'rrule'>,
    link: Omit<LinkedMeetingRecord, 'meetingId'>,
    by: Changer,
  ) => Promise<Meeting | undefined>;
  /** A meeting whose linked meeting was made, attached or removed: those it concerns read it again. */
  readonly relinked: (meeting: Meeting, by: Changer) => Promise<void>;
};

/** The registry over the vault, for the providers whose settings the deployment gave. */
export function linkedProviders(config: Config['linked'], credentials: CredentialStore): LinkedProviders | undefined {
  if (config === undefined) return undefined;
  return {
    registry: createProviderRegistry(
      config.providers,
      createTokenVault(credentials, parseVaultKeyring(config.tokenKeys)),
    ),
    offered: new Set(PROVIDERS.filter((id) => config.providers[id] !== undefined)),
  };
}

const hash = (secret: string): string => createHash('sha256').update(secret).digest('base64url');
const randomToken = (): string => randomBytes(32).toString('base64url');

/** Runs a provider call, answering its failures as our API errors (`unavailable`, `rate_limited`, …). */
async function viaProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const { code, message } = providerErrorToApi(error).error;
    throw new ServiceError(code, message);
  }
}

/**
 * What a feed subscriber sees for one of our meetings: the far meeting's link first, then ours;
 * a series with its rule in the meeting's zone, cancelled occurrences as EXDATE and moved or
 * retitled ones as their own events (RECURRENCE-ID).
 */
function feedEvent(
  meeting: Meeting & { readonly startsAt: string },
  linked: LinkedMeeting | undefined,
  changes: readonly OccurrenceChange[],
  /** How to call in by phone (phone.ts `dialInLines`); none when nobody can. */
  phoneLines: readonly string[],
): CalendarEvent {
  const start = Date.parse(meeting.startsAt);
  const length = meeting.endsAt === null ? DEFAULT_LENGTH_MS : Date.parse(meeting.endsAt) - start;
  const far = linked === undefined ? null : joinUrls(linked).web;
  const details = [
    `Join in Tandem: ${meeting.webJoinUrl}`,
    `Or in the app: ${meeting.joinUrl}`,
    ...(far === null || linked === undefined || linked.provider === 'tandem'
      ? []
      : [`Join in ${APP_NAMES[linked.provider]}: ${far}`]),
    ...(linked?.meetingId == null ? [] : [`Meeting ID: ${linked.meetingId}`]),
    ...(linked?.passcode == null ? [] : [`Passcode: ${linked.passcode}`]),
    ...(linked?.dialIns ?? []).map((d) => `Dial-in: ${d.e164 ?? d.raw}${d.label === null ? '' : ` (${d.label})`}`),
    ...phoneLines,
  ];
  const series = meeting.rrule === null ? [] : changes;
  return {
    uid: `${meeting.id}@tandem`,
    start,
    end: start + length,
    timeZone: meeting.timeZone,
    summary: meeting.title,
    description: details.join('\n'),
    url: far ?? meeting.webJoinUrl,
    ...(meeting.rrule === null ? {} : { rrule: meeting.rrule }),
    exceptions: series.filter((c) => c.cancelled).map((c) => Date.parse(c.occurrenceId)),
    overrides: series
      .filter((c) => !c.cancelled)
      .map((c) => {
        const recurrenceId = Date.parse(c.occurrenceId);
        const moved = c.startsAt === null ? recurrenceId : Date.parse(c.startsAt);
        return {
          recurrenceId,
          start: moved,
          end: c.endsAt === null ? moved + length : Date.parse(c.endsAt),
          summary: c.title ?? meeting.title,
        };
      }),
    cancelled: meeting.status === 'cancelled',
    sequence: Math.floor(Date.parse(meeting.updatedAt) / 1000) - Math.floor(Date.parse(meeting.createdAt) / 1000),
  };
}

/** Why `provider` cannot keep the meeting's series, in plain words with what to do; null when it can (or it is no series). */
function refusalText(provider: ProviderId, { recurrence, timeZone }: Meeting): string | null {
  if (recurrence === null) return null;
  // A Teams series is scheduled in a Windows zone, which CLDR gives for every zone but a rare few.
  if (provider === 'microsoft' && windowsZone(timeZone) === null)
    return `Teams has no time zone like ${timeZone}: choose another zone for the series, or meet in Tandem`;
  const refusal = seriesRefusal(provider, recurrence);
  if (refusal === null) return null;
  switch (refusal.reason) {
    case 'yearly':
      return 'Zoom does not repeat meetings yearly: repeat it monthly, or meet in Tandem or Teams';
    case 'endless':
      return 'Zoom series need an end: choose "After" a number of times (up to 60) or "On" a date';
    case 'count':
      return `Zoom series have at most ${refusal.limit} occurrences: choose fewer, or an end date`;
    case 'interval':
      return `Zoom repeats ${refusal.frequency} meetings at most every ${refusal.limit} ${
        { daily: 'days', weekly: 'weeks', monthly: 'months' }[refusal.frequency]
      }: choose a shorter interval`;
    default: {
      const unreachable: never = refusal;
      return unreachable;
    }
  }
}

/** Google's id of a recurring event carried on from another ("this and following"): `<its id>_R<first start>`. */
const CARRIED_ON = /^(.+)_R\d{8}(?:T\d{6}Z?)?$/;

const scheduled = (m: Meeting): m is Meeting & { startsAt: string } => !m.personal && m.startsAt !== null;

/** What a provider's meeting made from ours says about it (its description, Zoom's agenda). */
const providerDescription = (meeting: Meeting): string => `Tandem meeting: ${meeting.webJoinUrl}`;

/**
 * Linked Teams/Zoom/Meet meetings (issue 6): provider connections, the far meeting stored with
 * ours, the caller's calendar, the ICS feed and provider webhooks. Every lookup is scoped to the
 * caller's organisation; another organisation's things answer 404.
 */
export function linkedService(
  store: Store,
  access: MeetingAccess,
  audit: AuditService,
  providers: LinkedProviders | undefined,
  realtime: Pick<Realtime, 'toUsers'>,
  /** This server's public URL, where Graph sends change notifications. */
  publicUrl: () => string,
  /** The phone dial-in lines of a meeting's invitation (phone.ts). */
  phoneLines: (meeting: Meeting) => Promise<string[]> = async () => [],
  /** What a provider's calendar changes in our meetings (meetings.ts `followed` and `carriedOn`). */
  following: CalendarFollowing = {
    followed: async () => undefined,
    carriedOn: async () => undefined,
    relinked: async () => undefined,
  },
  /** What is not followed from a provider's calendar, and why. */
  log: Log = () => undefined,
) {
  /**
   * Subscribes to a person's Microsoft or Google calendar (a Graph subscription, a Google push
   * channel), so changes made in Outlook or Google Calendar reach their app within seconds. A
   * Google channel starts from a full list's sync token. Best effort: without a subscription the
   * app's periodic re-read still catches up.
   */
  async function subscribe(key: CredentialKey): Promise<void> {
    if (providers === undefined || key.provider === 'zoom' || key.userId === undefined) return;
    const provider = key.provider;
    const clientState = randomToken();
    try {
      const made = await providers.registry.subscribeCalendar(key, {
        notificationUrl: `${publicUrl()}${provider === 'google' ? SPECIAL_PATHS.googleWebhook : SPECIAL_PATHS.graphWebhook}`,
        clientState,
        expiresAt: new Date(Date.now() + SUBSCRIPTION_MS),
      });
      const syncToken = provider === 'google' ? (await providers.registry.calendarChanges(key, null)).syncToken : null;
      await store.calendarSubscriptions.put({
        id: made.id,
        orgId: key.orgId,
        userId: key.userId,
        provider,
        clientState,
        expiresAt: new Date(made.expiresAt).toISOString(),
        resourceId: made.resourceId,
        syncToken,
      });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
    }
  }

  /** Renews the subscriptions expiring soon; one the provider no longer knows (or refuses) is dropped. */
  async function renewSubscriptions(now: number): Promise<void> {
    if (providers === undefined) return;
    for (const sub of await store.calendarSubscriptions.expiringBefore(new Date(now + RENEW_WITHIN_MS).toISOString())) {
      const key: CredentialKey = { orgId: sub.orgId, provider: sub.provider, userId: sub.userId };
      if (sub.provider === 'google') {
        // A channel cannot be extended: a new one replaces it (and its row), then the old one stops.
        await subscribe(key);
        if (sub.resourceId !== null)
          await providers.registry.stopCalendar(key, sub.id, sub.resourceId).catch(() => undefined);
        continue;
      }
      try {
        const renewed = await providers.registry.renewCalendar(key, sub.id, new Date(now + SUBSCRIPTION_MS));
        await store.calendarSubscriptions.renewed(sub.id, new Date(renewed.expiresAt).toISOString());
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        if (error.code === 'not_found' || error.code === 'unauthorized')
          await store.calendarSubscriptions.delete(sub.id);
      }
    }
  }

  /** Connecting or revoking an account: the organisation's (scope organisation) or the caller's own. */
  async function audited(
    caller: Caller,
    action: 'provider.connected' | 'provider.revoked',
    key: CredentialKey,
  ): Promise<void> {
    await audit.byCaller(caller, action, {
      target: { kind: 'provider', id: key.provider },
      detail: { scope: key.userId === undefined ? 'organisation' : 'user' },
    });
  }

  const registryFor = (provider: ProviderId): ProviderRegistry => {
    if (providers === undefined || !providers.offered.has(provider)) {
      throw new ServiceError('unavailable', `${provider} is not configured on this server`);
    }
    return providers.registry;
  };

  const keyOf = (caller: Caller, provider: ProviderId, scope: ConnectionScope): CredentialKey => {
    if (scope === 'organisation' && !isOrgAdmin(caller)) {
      throw forbidden("only the organisation's owners and admins connect its accounts");
    }
    const orgId = caller.user.organisationId;
    return scope === 'organisation' ? { orgId, provider } : { orgId, provider, userId: caller.user.id };
  };

  const connection = (key: CredentialKey): ProviderConnection => ({
    provider: key.provider,
    scope: key.userId === undefined ? 'organisation' : 'user',
    connectedAt: nowIso(),
  });

  async function keep(
    meeting: Meeting,
    record: Omit<LinkedMeetingRecord, 'meetingId' | 'state' | 'stateAt' | 'createdAt'>,
  ) {
    const full: LinkedMeetingRecord = {
      ...record,
      meetingId: meeting.id,
      state: 'unknown',
      stateAt: null,
      createdAt: nowIso(),
    };
    await store.linkedMeetings.put(meeting.organisationId, full);
    return full;
  }

  async function calendarFile(
    name: string,
    orgId: string,
    meetings: readonly (Meeting & { startsAt: string })[],
  ): Promise<string> {
    const ids = meetings.map((m) => m.id);
    const linked = new Map((await store.linkedMeetings.many(orgId, ids)).map((r) => [r.meetingId, r.linked]));
    const changes = await store.meetings.changesOf(ids);
    const phone = await Promise.all(meetings.map((m) => phoneLines(m)));
    return serializeCalendar({
      name,
      events: meetings.map((m, i) => feedEvent(m, linked.get(m.id), changes.get(m.id) ?? [], phone[i] ?? [])),
      generatedAt: Date.now(),
    });
  }

  async function eventFileOf(meeting: Meeting): Promise<{ readonly filename: string; readonly body: string }> {
    if (!scheduled(meeting)) throw badRequest('only a scheduled meeting goes into a calendar');
    const safe =
      meeting.title
        .replace(/[^\p{L}\p{N} _-]+/gu, '')
        .trim()
        .slice(0, 60) || 'meeting';
    return {
      filename: `${safe}.ics`,
      body: await calendarFile(meeting.title, meeting.organisationId, [meeting]),
    };
  }

  /** The organisation's account for `provider`, or, without one, the person's own. */
  async function keyFor(orgId: string, provider: ProviderId, userId: string): Promise<CredentialKey> {
    const orgKey: CredentialKey = { orgId, provider };
    const userKey: CredentialKey = { ...orgKey, userId };
    return (await store.providerCredentials.get(orgKey)) === undefined &&
      (await store.providerCredentials.get(userKey)) !== undefined
      ? userKey
      : orgKey;
  }

  /** Whether `keyFor` finds a connected account: changes in Tandem can reach the provider. */
  async function accountOf(orgId: string, provider: ProviderId, userId: string): Promise<boolean> {
    return (
      providers?.offered.has(provider) === true &&
      (await store.providerCredentials.get(await keyFor(orgId, provider, userId))) !== undefined
    );
  }

  /** Our meeting as the provider is told of it: title, time (now, for one at any time), zone, rule, invitees. */
  async function providerInput(meeting: Meeting): Promise<UpdateMeetingInput> {
    const startsAt = meeting.startsAt === null ? new Date() : new Date(meeting.startsAt);
    const endsAt =
      meeting.endsAt === null ? new Date(startsAt.getTime() + DEFAULT_LENGTH_MS) : new Date(meeting.endsAt);
    const invited = new Set(meeting.invitees);
    const attendees = (await store.identity.usersIn(meeting.organisationId, [...invited])).map((u) => u.email);
    const { recurrence, timeZone } = meeting;
    // Occurrences Google's calendar took out by EXDATE stay out when we write the series back.
    const exdates = (await store.meetings.changesOf([meeting.id]))
      .get(meeting.id)
      ?.filter((c) => c.byExdate === true)
      .map((c) => Date.parse(c.occurrenceId));
    return {
      title: meeting.title,
      startsAt,
      endsAt,
      description: providerDescription(meeting),
      timeZone,
      ...(meeting.rrule === null ? {} : { rrule: meeting.rrule }),
      ...(meeting.rrule === null || exdates === undefined || exdates.length === 0
        ? {}
        : { exdate: exdateLine(exdates, timeZone) }),
      ...(recurrence === null || meeting.startsAt === null
        ? {}
        : {
            series: {
              recurrence,
              start: wallClock(startsAt.getTime(), timeZone),
              end: wallClock(endsAt.getTime(), timeZone),
              ...(recurrence.end.type === 'until'
                ? { untilAt: new Date(endOfDay(recurrence.end.until, timeZone)) }
                : {}),
            },
          }),
      attendees,
    };
  }

  /**
   * A far series' `recurrence` lines (Google's own, or those Graph's pattern and cancelled
   * occurrences are read as) for a series whose first occurrence is at `start` in `zone`: its one
   * RRULE as our model keeps it (`adoptedRule`) and the spans its EXDATE lines take out; null,
   * logged, when our model cannot keep the rule or an EXDATE line is in a form we do not read, so
   * nothing of it is applied.
   */
  function seriesRecurrence(change: CalendarChange, meetingId: string, start: number, zone: string) {
    const lines = change.recurrence ?? [];
    const isExdate = (l: string) => /^EXDATE[;:]/i.test(l);
    const rules = lines.filter((l) => !isExdate(l));
    const rule = rules.length === 1 && /^RRULE:/i.test(rules[0] ?? '') ? (rules[0] ?? '').slice(6) : null;
    const adopted = rule === null ? null : adoptedRule(rule, start, zone);
    const spans = lines.filter(isExdate).map((l) => exdateSpans(l, zone));
    if (adopted === null || spans.includes(null)) {
      log(
        `Far series ${change.externalId} of meeting ${meetingId} not followed: ${
          adopted === null
            ? 'its recurrence is not one Tandem keeps'
            : 'an EXDATE line is in a form Tandem does not read'
        }`,
        { recurrence: lines },
      );
      return null;
    }
    return { ...adopted, spans: spans.flatMap((s) => s ?? []) };
  }

  /**
   * The occurrences Google's EXDATE lines take out of a series, cancelled in one write as "cancel
   * this occurrence" does, marked as Google's doing; those cancelled only by an EXDATE Google no
   * longer lists come back as they were. Occurrences cancelled in Tandem stay cancelled. The
   * meeting as stored after, or undefined when nothing changed.
   */
  async function followExdates(
    meeting: Meeting & { startsAt: string },
    spans: readonly { readonly from: number; readonly to: number }[],
    now: string,
  ) {
    const rule = meeting.rrule;
    if (rule === null) return undefined;
    const first = Date.parse(meeting.startsAt);
    const out = new Set(
      spans
        .flatMap((s) => ruleStarts(rule, first, meeting.timeZone, s.from, s.to))
        .map((at) => new Date(at).toISOString()),
    );
    const changes = (await store.meetings.changesOf([meeting.id])).get(meeting.id) ?? [];
    const byId = new Map(changes.map((c) => [c.occurrenceId, c]));
    const writes: OccurrenceChange[] = [
      ...[...out]
        .filter((id) => byId.get(id)?.cancelled !== true)
        .map((id) => ({
          ...(byId.get(id) ?? { occurrenceId: id, startsAt: null, endsAt: null, title: null }),
          cancelled: true,
          byExdate: true,
        })),
      ...changes
        .filter((c) => c.byExdate === true && !out.has(c.occurrenceId))
        .map((c) => ({ ...c, cancelled: false, byExdate: false })),
    ];
    if (writes.length === 0) return undefined;
    return store.meetings.changeOccurrence(meeting.organisationId, meeting.id, writes, now);
  }

  /**
   * The zone a far event is scheduled in, as our meeting keeps it: Google's own IANA zone; Graph's
   * Windows zone is the meeting's own zone when that is the one it maps to (Europe/Amsterdam stays
   * so, though CLDR's main zone of "W. Europe Standard Time" is Europe/Berlin); none given, the
   * meeting's.
   */
  function zoneOf(change: CalendarChange, meeting: Meeting): string {
    if (change.windowsZone !== null && windowsZone(meeting.timeZone) === change.windowsZone) return meeting.timeZone;
    const given = TimeZoneSchema.safeParse(change.timeZone);
    return given.success ? given.data : meeting.timeZone;
  }

  /**
   * A series' master event changed as a whole in Google or Outlook (retitled, moved, its zone or
   * its rule changed, shortened by UNTIL or COUNT, occurrences taken out or put back by EXDATE):
   * the meeting takes it all, or nothing of it when its recurrence is one we cannot keep
   * (`seriesRecurrence`). The occurrences changed on their own stay changed where the new rule
   * still has them. Undefined when it already says the same.
   */
  async function followSeries(
    meeting: Meeting & { startsAt: string },
    change: CalendarChange,
    title: string | null,
    times: { readonly start: number; readonly end: number } | null,
    now: string,
  ) {
    const zone = zoneOf(change, meeting);
    const start = times?.start ?? Date.parse(meeting.startsAt);
    const read = seriesRecurrence(change, meeting.id, start, zone);
    if (read === null) return undefined;
    const retitled = title !== null && title !== meeting.title;
    const endsAt =
      times === null
        ? meeting.endsAt
        : // A meeting without an end keeps none while Google keeps our default length.
          meeting.endsAt === null && times.end - times.start === DEFAULT_LENGTH_MS
          ? null
          : new Date(times.end).toISOString();
    const startsAt = new Date(start).toISOString();
    // Our own rule read back as the far series writes it (an UNTIL after the last occurrence
    // becomes that occurrence's date) makes the same occurrences: it stays as we keep it.
    const rrule =
      meeting.rrule !== null && adoptedRule(meeting.rrule, start, zone)?.rrule === read.rrule
        ? meeting.rrule
        : read.rrule;
    const rescheduled = startsAt !== meeting.startsAt || zone !== meeting.timeZone || rrule !== meeting.rrule;
    let after = meeting;
    if (retitled || rescheduled || endsAt !== meeting.endsAt) {
      const changes = (await store.meetings.changesOf([meeting.id])).get(meeting.id) ?? [];
      const updated = await store.meetings.update(
        meeting.organisationId,
        meeting.id,
        {
          ...(retitled ? { title } : {}),
          endsAt,
          ...(rescheduled
            ? {
                startsAt,
                timeZone: zone,
                rrule,
                keepOccurrences: changes
                  .map((c) => c.occurrenceId)
                  .filter((id) => isRuleStart(rrule, start, zone, Date.parse(id))),
              }
            : {}),
        },
        now,
      );
      if (updated === undefined || !scheduled(updated)) return updated;
      after = updated;
    }
    return (await followExdates(after, read.spans, now)) ?? (after === meeting ? undefined : after);
  }

  /**
   * One changed Google or Outlook event applied to the meeting linked to it, as it stands; the
   * meeting as stored after, or undefined when it already says the same (the echo of our own
   * write, the same list read twice). The event itself: cancelled cancels the meeting, moved or
   * retitled moves or retitles it; a series' master event, the whole series (`followSeries`). An
   * instance of a series: that occurrence alone, if it is one of ours. Times or a title we cannot
   * keep leave ours.
   */
  async function followEvent(meeting: Meeting & { startsAt: string }, change: CalendarChange) {
    const now = nowIso();
    const first = Date.parse(meeting.startsAt);
    const length = meeting.endsAt === null ? DEFAULT_LENGTH_MS : Date.parse(meeting.endsAt) - first;
    const parsed = MeetingTitleSchema.safeParse(change.title);
    const title = parsed.success ? parsed.data : null;
    const ms = (at: string | null): number => (at === null ? NaN : Date.parse(at));
    const [start, end] = [ms(change.startsAt), ms(change.endsAt)] as const;
    const timed = !Number.isNaN(start) && !Number.isNaN(end) && end > start;
    if (change.seriesId === null) {
      if (change.cancelled)
        return store.meetings.update(meeting.organisationId, meeting.id, { status: 'cancelled' }, now);
      // Someone else's event on this calendar: its organiser's copy is the one that counts.
      if (!change.organiser) return undefined;
      const repeats = (change.recurrence ?? []).length > 0;
      if (meeting.rrule !== null && repeats)
        return followSeries(meeting, change, title, timed ? { start, end } : null, now);
      // A series Google no longer repeats: one meeting at the master's time, in the zone Google
      // gives, and no occurrence changed on its own any more (a new rule, none, drops them all).
      const unrepeated = meeting.rrule !== null;
      const zone = zoneOf(change, meeting);
      const retitled = title !== null && title !== meeting.title;
      const moved = timed && (start !== first || end !== first + length);
      if (!retitled && !moved && !unrepeated) return undefined;
      return store.meetings.update(
        meeting.organisationId,
        meeting.id,
        {
          ...(retitled ? { title } : {}),
          ...(unrepeated ? { rrule: null, timeZone: zone } : {}),
          ...(moved
            ? {
                startsAt: new Date(start).toISOString(),
                // A meeting without an end keeps none while Google keeps our default length.
                endsAt:
                  meeting.endsAt === null && end - start === DEFAULT_LENGTH_MS ? null : new Date(end).toISOString(),
              }
            : {}),
        },
        now,
      );
    }
    const at = ms(change.originalStart);
    if (meeting.rrule === null || Number.isNaN(at) || !isRuleStart(meeting.rrule, first, meeting.timeZone, at))
      return undefined;
    if (!change.cancelled && (!change.organiser || !timed)) return undefined;
    const occurrenceId = new Date(at).toISOString();
    const existing = (await store.meetings.changesOf([meeting.id]))
      .get(meeting.id)
      ?.find((c) => c.occurrenceId === occurrenceId);
    // Compared as they show (where it is, what it is called), not as stored.
    const shown = {
      start: existing?.startsAt == null ? at : Date.parse(existing.startsAt),
      end: existing?.endsAt == null ? at + length : Date.parse(existing.endsAt),
      title: existing?.title ?? meeting.title,
      cancelled: existing?.cancelled ?? false,
    };
    const wanted = change.cancelled
      ? { ...shown, cancelled: true }
      : { start, end, title: title ?? shown.title, cancelled: false };
    if (
      wanted.start === shown.start &&
      wanted.end === shown.end &&
      wanted.title === shown.title &&
      wanted.cancelled === shown.cancelled
    )
      return undefined;
    const moved = wanted.start !== at || wanted.end !== at + length;
    return store.meetings.changeOccurrence(
      meeting.organisationId,
      meeting.id,
      {
        occurrenceId,
        startsAt: moved ? new Date(wanted.start).toISOString() : null,
        endsAt: moved ? new Date(wanted.end).toISOString() : null,
        title: wanted.title === meeting.title ? null : wanted.title,
        cancelled: wanted.cancelled,
      },
      now,
    );
  }

  /**
   * What a person's Google or Outlook calendar changes mean for the meetings linked to its events
   * (issue 22). Only meetings whose far event this very account keeps count: those Tandem writes
   * through this person's account (`keyFor` of their owner), so the calendar read back is the one
   * written to, and an invitee's copy or another organisation's meeting is never touched. Each
   * write is its own transaction and states the event's values, not a difference, so applying the
   * same list again (or the echo of our own write) changes nothing; those the meeting concerns
   * hear of it, and nothing is sent back.
   */
  async function followCalendar(sub: CalendarSubscription, changed: readonly CalendarChange[]): Promise<void> {
    const person = await store.identity.getUser(sub.orgId, sub.userId);
    if (person === undefined) return;
    // Series carried on first (Google's "this and following"): the changes of their own
    // occurrences in the same list are then followed below.
    if (sub.provider === 'google') await followCarriedOn(sub, person, changed);
    const ids = [...new Set(changed.map((c) => c.seriesId ?? c.externalId))];
    const records = await store.linkedMeetings.createdAs(sub.orgId, sub.provider, ids);
    for (const record of records) {
      const before = await store.meetings.get(sub.orgId, record.meetingId);
      if (before === undefined || !scheduled(before) || before.status === 'cancelled') continue;
      if ((await keyFor(sub.orgId, sub.provider, before.ownerId)).userId !== sub.userId) continue;
      let after: Meeting & { startsAt: string } = before;
      // The far event as our last write left it, or older (a list read while a quick second edit
      // was on its way): nothing new from Google, and applying it would put the meeting back.
      const events = changed.filter(
        (c) =>
          (c.seriesId ?? c.externalId) === record.externalId &&
          !(
            c.seriesId === null &&
            c.updated !== null &&
            record.writtenStamp !== null &&
            Date.parse(c.updated) <= Date.parse(record.writtenStamp)
          ),
      );
      // The series as a whole first: its occurrences changed on their own are named under its new rule.
      for (const change of [
        ...events.filter((c) => c.seriesId === null),
        ...events.filter((c) => c.seriesId !== null),
      ]) {
        if (after.status === 'cancelled') break;
        const next = await followEvent(after, change);
        if (next !== undefined && scheduled(next)) after = next;
      }
      if (after !== before) await following.followed(before, after, { id: person.id, name: person.name });
    }
  }

  /**
   * Series carried on in Google as new recurring events ("this and following": the original is
   * shortened, `followCalendar`, and a new event named `<original id>_R<its first start>` repeats
   * from the split on), each made a Tandem meeting linked to it (`carriedOn`), when Tandem made
   * the original through this person's account, with the original's invitees and settings and the
   * new event's title, time, zone and rule (and EXDATEs), if our model keeps them. A far series
   * already linked is left to `followCalendar`, so reading the same list again makes nothing twice.
   */
  async function followCarriedOn(
    sub: CalendarSubscription,
    person: Changer,
    changed: readonly CalendarChange[],
  ): Promise<void> {
    const fresh = changed.filter(
      (c) => c.seriesId === null && !c.cancelled && c.organiser && (c.recurrence ?? []).length > 0,
    );
    const originalOf = (c: CalendarChange) => CARRIED_ON.exec(c.externalId)?.[1];
    const named = fresh.filter((c) => originalOf(c) !== undefined);
    if (named.length === 0) return;
    const linked = new Set(
      (
        await store.linkedMeetings.createdAs(
          sub.orgId,
          'google',
          named.map((c) => c.externalId),
        )
      ).map((r) => r.externalId),
    );
    const originals = new Map(
      (
        await store.linkedMeetings.createdAs(
          sub.orgId,
          'google',
          named.map((c) => originalOf(c) ?? ''),
        )
      ).map((r) => [r.externalId, r]),
    );
    for (const change of named) {
      const record = originals.get(originalOf(change) ?? '');
      if (record === undefined || linked.has(change.externalId)) continue;
      const original = await store.meetings.get(sub.orgId, record.meetingId);
      if (original === undefined || !scheduled(original) || original.status === 'cancelled') continue;
      if ((await keyFor(sub.orgId, 'google', original.ownerId)).userId !== sub.userId) continue;
      const [start, end] = [Date.parse(change.startsAt ?? ''), Date.parse(change.endsAt ?? '')];
      if (Number.isNaN(start) || Number.isNaN(end) || end <= start) continue;
      const zone = zoneOf(change, original);
      const read = seriesRecurrence(change, original.id, start, zone);
      if (read === null) continue;
      const title = MeetingTitleSchema.safeParse(change.title);
      const made = await following.carriedOn(
        original,
        {
          title: title.success ? title.data : original.title,
          startsAt: new Date(start).toISOString(),
          // A meeting without an end keeps none while Google keeps our default length.
          endsAt: original.endsAt === null && end - start === DEFAULT_LENGTH_MS ? null : new Date(end).toISOString(),
          timeZone: zone,
          rrule: read.rrule,
        },
        // Google copies the original's Meet conference onto the series it carries on.
        {
          source: 'created',
          createdWith: 'google',
          externalId: change.externalId,
          linked: record.linked,
          state: 'unknown',
          stateAt: null,
          createdAt: nowIso(),
        },
        person,
      );
      if (made === undefined || !scheduled(made)) continue;
      const after = await followExdates(made, read.spans, nowIso());
      if (after !== undefined) await following.followed(made, after, person);
    }
  }

  /**
   * One queued calendar notification followed (after the webhook's answer): Graph's names events,
   * each read as it now is; Google's lists the calendar's changes from the stored sync token (a
   * full list when Google has forgotten it) and keeps the new token. What changed is followed
   * into meetings (`followCalendar`) and the person's apps read their calendar again. Following is
   * idempotent (it states what the provider holds now), so a notification Graph sends again, or
   * one followed twice after a lost claim, changes nothing more. A provider error about one Graph
   * event leaves the others followed; a provider that is busy or down, or a failure of ours, has
   * the notification tried again later; an account whose consent is gone drops it.
   */
  async function followNotification(n: CalendarNotification): Promise<void> {
    const queue = store.calendarSubscriptions.notifications;
    const sub = await store.calendarSubscriptions.get(n.subscriptionId);
    try {
      // A subscription replaced or dropped since: the new one starts from the calendar as it is.
      if (sub !== undefined && providers !== undefined) await followChanges(sub, n.eventIds, providers.registry);
    } catch (error) {
      const transient =
        !(error instanceof ProviderError) || error.code === 'rate_limited' || error.code === 'unavailable';
      const attempts = n.attempts + 1;
      if (transient && attempts < NOTIFICATION_ATTEMPTS) {
        const wait = Math.max(
          retryDelayMs(attempts, NOTIFICATION_RETRY_BASE_MS),
          error instanceof ProviderError ? (error.retryAfterMs ?? 0) : 0,
        );
        log(`calendar notification ${n.id} not followed yet (attempt ${attempts})`, error);
        await queue.retry(n.id, attempts, new Date(Date.now() + wait).toISOString());
        return;
      }
      log(`calendar notification ${n.id} dropped after ${attempts} attempts`, error);
    }
    await queue.done(n.id);
  }

  /** What one notification says changed, read from the provider and followed into our meetings. */
  async function followChanges(
    sub: CalendarSubscription,
    eventIds: readonly string[],
    registry: ProviderRegistry,
  ): Promise<void> {
    const key: CredentialKey = { orgId: sub.orgId, provider: sub.provider, userId: sub.userId };
    if (sub.provider === 'google') {
      const changes = await registry.calendarChanges(key, sub.syncToken);
      await followCalendar(sub, changes.changed);
      await store.calendarSubscriptions.synced(sub.id, changes.syncToken);
      if (changes.full || changes.changed.length > 0)
        realtime.toUsers(new Set([sub.userId]), { type: 'calendar.changed', provider: 'google' });
      return;
    }
    const changed: CalendarChange[] = [];
    for (const event of eventIds) {
      try {
        changed.push(await registry.outlookEvent(key, event));
      } catch (error) {
        // One event Graph answers oddly (or not at all) leaves the others of the notification followed.
        if (!(error instanceof ProviderError) || (error.code !== 'not_found' && error.code !== 'bad_response'))
          throw error;
        log(`Outlook event ${event} not followed: ${error.message}`, { code: error.code });
      }
    }
    await followCalendar(sub, changed);
    realtime.toUsers(new Set([sub.userId]), { type: 'calendar.changed', provider: 'microsoft' });
  }

  const inbox = queueWorker(
    'calendar notifications',
    store.calendarSubscriptions.notifications,
    { batch: NOTIFICATION_BATCH, claimMs: NOTIFICATION_CLAIM_MS },
    followNotification,
    log,
  );

  return {
    async providers(caller: Caller): Promise<ProviderList> {
      return {
        providers: PROVIDERS.map((provider) => ({ provider, offered: providers?.offered.has(provider) ?? false })),
        connections: await store.providerCredentials.list(caller.user.organisationId, caller.user.id),
      };
    },

    /**
     * Starts a consent: a random state (stored hashed, single use, 10 minutes) bound to the caller
     * and their organisation, and a PKCE verifier kept here; the URL carries only its challenge.
     */
    async consent(caller: Caller, request: ConsentRequest): Promise<ConsentUrl> {
      const registry = registryFor(request.provider);
      const key = keyOf(caller, request.provider, request.scope);
      // The schema admits only loopback redirects; checked again so no other caller skips it.
      if (!isConsentRedirect(request.redirectUri)) throw badRequest('the redirect must be a loopback address');
      const state = randomToken();
      const pkce = newPkce();
      const expiresAt = new Date(Date.now() + CONSENT_TTL_MS).toISOString();
      await store.providerConsents.put(
        hash(state),
        { key, redirectUri: request.redirectUri, startedBy: caller.user.id, codeVerifier: pkce.verifier },
        expiresAt,
      );
      return { url: registry.consentUrl(request.provider, request.redirectUri, state, pkce.challenge), expiresAt };
    },

    /**
     * The code the provider's redirect brought back to the app, completed with that app's session.
     * The state, used once, must name a consent the caller started: a consent link forwarded to
     * someone else and approved there is refused (and spent), never stored under its starter.
     */
    async completeConsent(caller: Caller, code: string, state: string): Promise<ProviderConnection> {
      const pending = await store.providerConsents.take(hash(state), nowIso());
      if (pending === undefined) throw badRequest('this consent is unknown, used or expired: start again');
      if (pending.key.orgId !== caller.user.organisationId || pending.startedBy !== caller.user.id) {
        throw forbidden('this consent was started by someone else: start your own');
      }
      const provider = pending.key.provider;
      if (provider === 'zoom') throw badRequest('Zoom connects with its Server-to-Server app, not a consent');
      const key = { ...pending.key, provider } satisfies CredentialKey & { provider: OAuthProviderId };
      await viaProvider(() =>
        registryFor(provider).completeConsent(key, code, pending.redirectUri, pending.codeVerifier),
      );
      await subscribe(key);
      await audited(caller, 'provider.connected', key);
      return connection(key);
    },

    async connectZoom(caller: Caller, request: ZoomConnectRequest): Promise<ProviderConnection> {
      const registry = registryFor('zoom');
      const key = { ...keyOf(caller, 'zoom', 'organisation'), provider: 'zoom' } as const;
      const { webhookSecretToken, ...account } = request;
      await viaProvider(() =>
        registry.connectZoom(key, { ...account, ...(webhookSecretToken === undefined ? {} : { webhookSecretToken }) }),
      );
      await audited(caller, 'provider.connected', key);
      return connection(key);
    },

    async revoke(caller: Caller, provider: ProviderId, scope: ConnectionScope): Promise<void> {
      const key = keyOf(caller, provider, scope);
      // Without the provider configured, the stored tokens are still ours to delete.
      const revoked =
        providers?.offered.has(provider) === true
          ? await providers.registry.revoke(key)
          : await store.providerCredentials.delete(key);
      if (!revoked) throw notFound(`${provider} connection`);
      await audited(caller, 'provider.revoked', key);
    },

    async get(caller: Caller, meetingId: string): Promise<LinkedMeetingRecord | null> {
      const meeting = await access.meeting(caller, meetingId);
      return (await store.linkedMeetings.get(meeting.organisationId, meeting.id)) ?? null;
    },

    /**
     * Creates the far meeting with the organisation's account (or, without one, the caller's own):
     * the same title, time, zone, rule and invitees, as far as the provider keeps them.
     */
    async create(caller: Caller, meetingId: string, provider: ProviderId): Promise<LinkedMeetingRecord> {
      const meeting = await access.asHost(caller, meetingId);
      const registry = registryFor(provider);
      // Refused before anything is made at the provider.
      const refusal = refusalText(provider, meeting);
      if (refusal !== null) throw badRequest(refusal, [{ path: 'recurrence', message: refusal }]);
      const key = await keyFor(meeting.organisationId, provider, caller.user.id);
      const input = await providerInput(meeting);
      const created = await viaProvider(() => registry.createLinkedMeeting(key, { ...input, requestId: newId() }));
      const record = await keep(meeting, {
        source: 'created',
        createdWith: created.provider,
        externalId: created.externalId,
        linked: created.linked,
      });
      await following.relinked(meeting, whoOf(caller));
      return record;
    },

    /**
     * Our meeting changed or was cancelled, one of its occurrences changed on its own, or it was
     * split: the far meeting made from it follows (with the organisation's account, or else its
     * organiser's); the part of a split series that carries on gets a far meeting of its own. A
     * provider's refusal is answered in plain words; ours is saved already, so saving again retries.
     */
    async pushed(change: ScheduleChange): Promise<void> {
      const meeting = change.kind === 'split' ? change.ended : change.meeting;
      const record = await store.linkedMeetings.get(meeting.organisationId, meeting.id);
      if (record === undefined || record.source !== 'created' || record.createdWith === null) return;
      const { createdWith: provider, externalId } = record;
      // Its account disconnected: the calendar says so (`linkedAccount`), and ours is saved alone.
      if (
        externalId === null ||
        providers === undefined ||
        !(await accountOf(meeting.organisationId, provider, meeting.ownerId))
      )
        return;
      const key = await keyFor(meeting.organisationId, provider, meeting.ownerId);
      const app = record.linked.provider === 'tandem' ? provider : APP_NAMES[record.linked.provider];
      const what =
        change.kind === 'occurrence'
          ? `the occurrence in the ${app} meeting was not ${change.cancelled ? 'cancelled' : 'changed'}`
          : `the ${app} meeting was not ${meeting.status === 'cancelled' ? 'cancelled' : 'updated'}`;
      try {
        const refusal = meeting.status === 'cancelled' ? null : refusalText(provider, meeting);
        if (refusal !== null) throw badRequest(refusal);
        await viaProvider(async () => {
          if (change.kind === 'occurrence') {
            const occurrence = {
              originalStart: new Date(change.occurrenceId),
              currentStart: new Date(change.currentStart),
              startsAt: new Date(change.startsAt),
              endsAt: new Date(change.endsAt),
              title: change.title,
              description:
                change.title === meeting.title
                  ? providerDescription(meeting)
                  : `${change.title}\n\n${providerDescription(meeting)}`,
            };
            await providers.registry.changeLinkedOccurrence(key, externalId, occurrence, change.cancelled);
          } else if (meeting.status === 'cancelled') await providers.registry.cancelLinkedMeeting(key, externalId);
          else {
            const stamp = await providers.registry.updateLinkedMeeting(key, externalId, await providerInput(meeting));
            if (stamp !== null) await store.linkedMeetings.written(meeting.organisationId, meeting.id, stamp);
          }
          if (change.kind === 'split') {
            const made = await providers.registry.createLinkedMeeting(key, {
              ...(await providerInput(change.continued)),
              requestId: newId(),
            });
            await keep(change.continued, {
              source: 'created',
              createdWith: made.provider,
              externalId: made.externalId,
              linked: made.linked,
            });
            await following.relinked(change.continued, change.by);
          }
        });
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        throw new ServiceError(
          error.code,
          `Saved in Tandem, but ${what}: ${error.message}. Save again to retry, or check the ${app} connection in Settings.`,
        );
      }
    },

    /** Links a pasted invitation; the server recognises it itself, whatever the client showed. */
    async attach(caller: Caller, meetingId: string, text: string): Promise<LinkedMeetingRecord> {
      const meeting = await access.asHost(caller, meetingId);
      const result = parseMeetingLink(text);
      if (!result.ok) throw badRequest(result.message);
      if (result.meeting.provider === 'tandem')
        throw badRequest('that is a Tandem meeting, not a Teams, Zoom or Meet one');
      const record = await keep(meeting, {
        source: 'pasted',
        createdWith: null,
        externalId: null,
        linked: result.meeting,
      });
      await following.relinked(meeting, whoOf(caller));
      return record;
    },

    async detach(caller: Caller, meetingId: string): Promise<void> {
      const meeting = await access.asHost(caller, meetingId);
      if (!(await store.linkedMeetings.delete(meeting.organisationId, meeting.id))) throw notFound('linked meeting');
      await following.relinked(meeting, whoOf(caller));
    },

    /**
     * The occurrences of the scheduled meetings the caller owns or is invited to (a series
     * expanded in its zone, its cancelled occurrences left out), and their connected calendars,
     * by start time.
     */
    async calendar(caller: Caller, from: string, to: string, only?: 'tandem'): Promise<Calendar> {
      const orgId = caller.user.organisationId;
      const [fromMs, toMs] = [Date.parse(from), Date.parse(to)];
      const ours = (await store.meetings.listFor(orgId, caller.user.id)).filter(
        (m): m is Meeting & { startsAt: string } => scheduled(m) && m.status !== 'cancelled',
      );
      const ids = ours.map((m) => m.id);
      const records = new Map((await store.linkedMeetings.many(orgId, ids)).map((r) => [r.meetingId, r]));
      const linked = new Map([...records].map(([id, r]) => [id, r.linked]));
      const accounts = new Map<string, 'connected' | 'disconnected' | null>();
      for (const m of ours) {
        const made = records.get(m.id)?.createdWith ?? null;
        accounts.set(
          m.id,
          made === null ? null : (await accountOf(orgId, made, m.ownerId)) ? 'connected' : 'disconnected',
        );
      }
      const changes = await store.meetings.changesOf(ids);
      const entries: CalendarEntry[] = ours.flatMap((m) =>
        occurrencesOf(m, changes.get(m.id) ?? [], fromMs, toMs)
          .filter((o) => !o.cancelled)
          .map((o) => ({
            kind: 'tandem' as const,
            meetingId: m.id,
            title: o.title,
            startsAt: o.startsAt,
            endsAt: m.endsAt === null && m.rrule === null ? null : o.endsAt,
            joinCode: m.joinCode,
            linked: linked.get(m.id) ?? null,
            linkedAccount: accounts.get(m.id) ?? null,
            occurrenceId: m.rrule === null ? null : o.occurrenceId,
            timeZone: m.timeZone,
          })),
      );
      const failures: Calendar['failures'] = [];
      const own = (only === 'tandem' ? [] : await store.providerCredentials.list(orgId, caller.user.id)).filter(
        (c) => c.scope === 'user' && c.provider !== 'zoom' && providers?.offered.has(c.provider) === true,
      );
      for (const c of own) {
        try {
          const key = { orgId, provider: c.provider, userId: caller.user.id };
          const imported = await viaProvider(() =>
            registryFor(c.provider).calendar(key, { start: new Date(fromMs), end: new Date(toMs) }),
          );
          for (const e of imported) {
            entries.push({
              kind: 'imported',
              provider: e.provider,
              externalId: e.externalId,
              title: e.title,
              startsAt: new Date(e.startsAt).toISOString(),
              endsAt: new Date(e.endsAt).toISOString(),
              allDay: e.allDay,
              webLink: e.webLink,
              linked: e.linked,
            });
          }
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          failures.push({ provider: c.provider, code: error.code, message: error.message });
        }
      }
      entries.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
      return { entries, failures };
    },

    /** A new feed URL; the previous one stops working. The token is shown once and stored hashed. */
    async createFeed(caller: Caller): Promise<CalendarFeedLink> {
      const token = randomToken();
      const createdAt = nowIso();
      await store.calendarFeeds.put(caller.user.organisationId, caller.user.id, hash(token), createdAt);
      return { path: `/calendar/${token}.ics`, createdAt };
    },

    async revokeFeed(caller: Caller): Promise<void> {
      if (!(await store.calendarFeeds.delete(caller.user.id))) throw notFound('calendar feed');
    },

    /** The ICS document behind a feed token; undefined for an unknown or revoked token. */
    async feed(token: string): Promise<string | undefined> {
      const owner = await store.calendarFeeds.owner(hash(token));
      if (owner === undefined) return undefined;
      const user = await store.identity.getUser(owner.orgId, owner.userId);
      if (user === undefined) return undefined;
      // The feed's person's own meetings and those they are invited to, as in their list.
      const meetings = (await store.meetings.listFor(owner.orgId, owner.userId)).filter(scheduled);
      return calendarFile(`Tandem: ${user.name}`, owner.orgId, meetings);
    },

    /** One meeting (a series with its exceptions) as an ICS file, to add to a calendar by hand. */
    async eventFile(caller: Caller, meetingId: string): Promise<{ readonly filename: string; readonly body: string }> {
      return eventFileOf(await access.known(caller, meetingId));
    },

    /** A meeting already looked up (a webinar's registration page) as an ICS file. */
    eventFileOf,

    /**
     * A Zoom app's event for organisation `orgId`; meeting started/ended is recorded on our linked
     * meetings. Zoom wants the answer within 3 seconds: everything here is local (the stored
     * secret, the signature, one row's update) and the update is no slower than queueing it would
     * be, so it is done before the answer, unlike Graph's and Google's notifications, which call
     * the provider back.
     */
    async zoomWebhook(
      orgId: string,
      headers: Readonly<Record<string, string | string[] | undefined>>,
      rawBody: string,
    ): Promise<{ readonly status: number; readonly body: unknown }> {
      const secretToken =
        providers?.offered.has('zoom') === true ? await providers.registry.zoomWebhookSecret(orgId) : undefined;
      if (secretToken === undefined) throw notFound('Zoom webhook');
      const result = handleZoomWebhook({ secretToken, headers, rawBody, nowMs: Date.now() });
      switch (result.kind) {
        case 'reply':
          return { status: result.status, body: result.body };
        case 'state': {
          const { meetingId, state, at } = result.change;
          await store.linkedMeetings.setState(orgId, 'zoom', meetingId, state, new Date(at).toISOString());
          return { status: result.status, body: { ok: true } };
        }
        case 'ignored':
          return { status: result.status, body: { ok: true } };
        case 'rejected':
          throw new ServiceError(result.status === 401 ? 'unauthenticated' : 'bad_request', result.reason);
        default: {
          const unreachable: never = result;
          return unreachable;
        }
      }
    },

    /**
     * Graph's subscription handshake (`validationToken` echoed as text), then its change
     * notifications. Graph wants the answer within 3 seconds, so only what is local is done before
     * it: the body's shape (400 otherwise), and each notification checked against its
     * subscription's `clientState` (in constant time; forged or unknown ones are acknowledged and
     * dropped). The genuine ones are queued (`calendar_notifications`) and answered 202; reading
     * the events they name and following them happens after, from the queue (`followNotification`).
     */
    async graphWebhook(query: URLSearchParams, rawBody: string): Promise<WebhookReply> {
      const validation = graphValidationResponse(query);
      if (validation !== null) return validation;
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw badRequest('not a change notification collection');
      }
      const value: unknown =
        typeof body === 'object' && body !== null ? (body as { value?: unknown }).value : undefined;
      if (!Array.isArray(value)) throw badRequest('not a change notification collection');
      const ids = new Set(
        value.flatMap((n) =>
          typeof n === 'object' && n !== null && typeof (n as { subscriptionId?: unknown }).subscriptionId === 'string'
            ? [(n as { subscriptionId: string }).subscriptionId]
            : [],
        ),
      );
      const at = nowIso();
      for (const id of ids) {
        const sub = await store.calendarSubscriptions.get(id);
        if (sub === undefined || sub.provider !== 'microsoft') continue;
        let genuine: readonly GraphChange[];
        try {
          genuine = parseGraphNotifications(body, sub.clientState).filter((c) => c.subscriptionId === id);
        } catch (error) {
          if (error instanceof ProviderError) throw badRequest(error.message);
          throw error;
        }
        if (genuine.length === 0) continue;
        const eventIds = [...new Set(genuine.flatMap((c) => (c.resourceId === null ? [] : [c.resourceId])))];
        await store.calendarSubscriptions.notifications.enqueue({ id: newId(), subscriptionId: id, eventIds }, at);
      }
      inbox.poke();
      return { status: 202, contentType: 'application/json', body: '{"ok":true}' };
    },

    /**
     * A Google push channel's notification: the channel must be one we keep, its token (compared
     * in constant time) and watched resource ours. The first (`sync`) only says the channel works;
     * any other is queued (`calendar_notifications`) and followed after the answer
     * (`followNotification`), as Google wants its 2xx quickly. Anything else is acknowledged and
     * ignored: Google wants a 2xx.
     */
    async googleWebhook(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<void> {
      const header = (name: string) => {
        const value = headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const id = header('x-goog-channel-id');
      const sub = id === undefined ? undefined : await store.calendarSubscriptions.get(id);
      if (providers === undefined || sub === undefined || sub.provider !== 'google') return;
      if (!sameSecret(header('x-goog-channel-token') ?? '', sub.clientState)) return;
      if (header('x-goog-resource-id') !== sub.resourceId || header('x-goog-resource-state') === 'sync') return;
      await store.calendarSubscriptions.notifications.enqueue(
        { id: newId(), subscriptionId: sub.id, eventIds: [] },
        nowIso(),
      );
      inbox.poke();
    },

    /** Follows the calendar notifications queued before a restart, then each as it comes. */
    startNotifications: (): void => inbox.start(),
    /** Waits for the notifications being followed; the rest wait in the queue. */
    stopNotifications: (): Promise<void> => inbox.stop(),

    /** Renews calendar subscriptions expiring before the next sweep (at start, then under a lease). */
    renewSubscriptions,
  };
}

export type LinkedService = ReturnType<typeof linkedService>;
