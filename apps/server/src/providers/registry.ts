import { randomUUID } from 'node:crypto';
import { connectOAuth, connectZoom, connectionTokenSource, type ConnectionAuth } from './connections.ts';
import {
  GOOGLE_API_BASE_URL,
  googleCalendarChanges,
  googleProvider,
  stopGoogleChannel,
  watchGoogleCalendar,
} from './google.ts';
import {
  createGraphSubscription,
  GRAPH_BASE_URL,
  followedEvent,
  microsoftGraphProvider,
  renewGraphSubscription,
} from './microsoftGraph.ts';
import type { LinkedMeeting } from '@tandem/shared';
import { calendarEntries, type CalendarEntry } from './calendar.ts';
import { linkedMeetingOf } from './linkedMeeting.ts';
import type {
  CalendarChange,
  CreateMeetingInput,
  MeetingProvider,
  OccurrenceInput,
  TimeWindow,
  UpdateMeetingInput,
} from './model.ts';
import { authorizationUrl, revokeGrant, type OAuthClient, type ZoomAccountCredentials } from './oauth.ts';
import { ProviderError } from './providerError.ts';
import { defaultHttpRuntime, type HttpRuntime } from './providerHttp.ts';
import type { TokenSource } from './tokenSource.ts';
import type { CredentialKey, TokenVault } from './tokenVault.ts';
import { ZOOM_API_BASE_URL, ZOOM_TOKEN_URL, zoomProvider } from './zoom.ts';

/**
 * The provider apps this deployment registered (from config.ts). A provider left out is not
 * offered. Base URLs are overridable for tests and sovereign clouds.
 */
export type ProvidersConfig = {
  readonly microsoft?: {
    readonly clientId: string;
    readonly clientSecret: string;
    /** `organizations` (any work account) unless the deployment pins its tenant. */
    readonly tenant?: string;
    readonly loginBaseUrl?: string;
    readonly graphBaseUrl?: string;
  };
  readonly google?: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly authorizeUrl?: string;
    readonly tokenUrl?: string;
    readonly revokeUrl?: string;
    readonly apiBaseUrl?: string;
  };
  readonly zoom?: { readonly tokenUrl?: string; readonly apiBaseUrl?: string; readonly userId?: string };
};

export type OAuthProviderId = 'microsoft' | 'google';

/** A linked meeting as our meeting stores it: which account made it, its id there, the record. */
export type CreatedLinkedMeeting = {
  readonly provider: CredentialKey['provider'];
  readonly externalId: string;
  readonly linked: LinkedMeeting;
};

/** Everything the server's services call; built once in main.ts. */
export type ProviderRegistry = {
  /** Where to send an organisation admin (or a user, for their calendar) to consent; `codeChallenge` is PKCE S256. */
  consentUrl(provider: OAuthProviderId, redirectUri: string, state: string, codeChallenge: string): string;
  /** The OAuth redirect's `code`, exchanged with the PKCE verifier: stores the connection under `key`. */
  completeConsent(
    key: CredentialKey & { readonly provider: OAuthProviderId },
    code: string,
    redirectUri: string,
    codeVerifier: string,
  ): Promise<void>;
  connectZoom(key: CredentialKey & { readonly provider: 'zoom' }, credentials: ZoomAccountCredentials): Promise<void>;
  /**
   * The adapter for a stored connection; its calls fail with ProviderError `unauthorized` once
   * revoked. Take it per request: a kept instance keeps its access token until it expires.
   */
  provider(key: CredentialKey): MeetingProvider;
  /** Creates the provider's meeting and returns what is stored with ours. */
  createLinkedMeeting(key: CredentialKey, input: CreateMeetingInput): Promise<CreatedLinkedMeeting>;
  /**
   * Subscribes to changes of a connection's calendar: a Graph subscription (Graph first checks
   * `notificationUrl` with its validation handshake; `clientState` comes back in every
   * notification) or a Google push channel (`clientState` is its token; `resourceId` what it
   * watches). Answers its id and expiry.
   */
  subscribeCalendar(
    key: CredentialKey,
    request: { readonly notificationUrl: string; readonly clientState: string; readonly expiresAt: Date },
  ): Promise<{ readonly id: string; readonly expiresAt: string; readonly resourceId: string | null }>;
  /** Extends a Graph subscription to `expiresAt` (a Google channel is replaced instead). */
  renewCalendar(key: CredentialKey, id: string, expiresAt: Date): Promise<{ readonly expiresAt: string }>;
  /** Stops a Google push channel (best left to the caller to ignore failures). */
  stopCalendar(key: CredentialKey, id: string, resourceId: string): Promise<void>;
  /** A Google calendar's changed events since `syncToken` (a full list without one) and the next token. */
  calendarChanges(
    key: CredentialKey,
    syncToken: string | null,
  ): Promise<{ readonly changed: readonly CalendarChange[]; readonly full: boolean; readonly syncToken: string }>;
  /**
   * An Outlook event a Graph change notification named, as it now is (`followedEvent`): gone
   * counts as cancelled; a series master with its pattern as an RRULE line.
   */
  outlookEvent(key: CredentialKey, eventId: string): Promise<CalendarChange>;
  /** Changes the provider's meeting to match ours; its stamp as written (Google's `updated`), or null. */
  updateLinkedMeeting(key: CredentialKey, externalId: string, input: UpdateMeetingInput): Promise<string | null>;
  /** Cancels the provider's meeting (gone already counts). */
  cancelLinkedMeeting(key: CredentialKey, externalId: string): Promise<void>;
  /** Moves, retitles or (`cancelled`) cancels one occurrence of the provider's series. */
  changeLinkedOccurrence(
    key: CredentialKey,
    externalId: string,
    occurrence: OccurrenceInput,
    cancelled: boolean,
  ): Promise<void>;
  /** The connection's calendar in `window`, linked meetings detected. */
  calendar(key: CredentialKey, window: TimeWindow): Promise<readonly CalendarEntry[]>;
  /** The organisation's Zoom app secret token, for `handleZoomWebhook`; undefined when not connected. */
  zoomWebhookSecret(orgId: string): Promise<string | undefined>;
  /**
   * Deletes the stored credentials and forgets cached access tokens; also revokes the grant at
   * the provider where it offers that (Google), best effort: the local deletion happens anyway.
   * Whether there was a connection.
   */
  revoke(key: CredentialKey): Promise<boolean>;
};

function notConfigured(provider: CredentialKey['provider']): ProviderError {
  return new ProviderError(provider, 'unavailable', 'this provider is not configured on the server');
}

export function oauthClientFor(config: ProvidersConfig, provider: OAuthProviderId): OAuthClient {
  if (provider === 'microsoft') {
    const ms = config.microsoft;
    if (ms === undefined) throw notConfigured(provider);
    const authority = `${ms.loginBaseUrl ?? 'https://login.microsoftonline.com'}/${ms.tenant ?? 'organizations'}/oauth2/v2.0`;
    return {
      provider,
      authorizeUrl: `${authority}/authorize`,
      tokenUrl: `${authority}/token`,
      clientId: ms.clientId,
      clientSecret: ms.clientSecret,
      // offline_access is what makes Microsoft issue a refresh token.
      scopes: ['offline_access', 'User.Read', 'OnlineMeetings.ReadWrite', 'Calendars.ReadWrite'],
    };
  }
  const google = config.google;
  if (google === undefined) throw notConfigured(provider);
  return {
    provider,
    authorizeUrl: google.authorizeUrl ?? 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: google.tokenUrl ?? 'https://oauth2.googleapis.com/token',
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    scopes: ['https://www.googleapis.com/auth/calendar.events'],
    revokeUrl: google.revokeUrl ?? 'https://oauth2.googleapis.com/revoke',
    // Google issues a refresh token only for offline access, and only on a fresh consent.
    authorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
  };
}

function authFor(config: ProvidersConfig, provider: CredentialKey['provider']): ConnectionAuth {
  if (provider === 'zoom') {
    if (config.zoom === undefined) throw notConfigured(provider);
    return { kind: 'zoom_s2s', tokenUrl: config.zoom.tokenUrl ?? ZOOM_TOKEN_URL };
  }
  return { kind: 'oauth', client: oauthClientFor(config, provider) };
}

export function createProviderRegistry(
  config: ProvidersConfig,
  vault: TokenVault,
  runtime: HttpRuntime = defaultHttpRuntime,
): ProviderRegistry {
  // One token source per connection, so access tokens are reused across requests.
  const sources = new Map<string, TokenSource>();
  const id = (key: CredentialKey) => JSON.stringify([key.orgId, key.provider, key.userId ?? null]);
  const tokensFor = (key: CredentialKey): TokenSource => {
    let source = sources.get(id(key));
    if (source === undefined) {
      source = connectionTokenSource(vault, key, authFor(config, key.provider), runtime);
      sources.set(id(key), source);
    }
    return source;
  };

  const graph = { baseUrl: config.microsoft?.graphBaseUrl ?? GRAPH_BASE_URL, runtime };
  const google = { baseUrl: config.google?.apiBaseUrl ?? GOOGLE_API_BASE_URL, runtime };

  const providerFor = (key: CredentialKey): MeetingProvider => {
    const tokens = tokensFor(key);
    switch (key.provider) {
      case 'microsoft':
        return microsoftGraphProvider(tokens, graph);
      case 'google':
        return googleProvider(tokens, google);
      case 'zoom':
        return zoomProvider(tokens, {
          baseUrl: config.zoom?.apiBaseUrl ?? ZOOM_API_BASE_URL,
          runtime,
          ...(config.zoom?.userId === undefined ? {} : { userId: config.zoom.userId }),
        });
      default: {
        const unreachable: never = key.provider;
        return unreachable;
      }
    }
  };

  return {
    consentUrl(provider, redirectUri, state, codeChallenge) {
      return authorizationUrl(oauthClientFor(config, provider), redirectUri, state, codeChallenge);
    },
    async completeConsent(key, code, redirectUri, codeVerifier) {
      await connectOAuth(vault, key, oauthClientFor(config, key.provider), code, redirectUri, codeVerifier, runtime);
      sources.delete(id(key));
    },
    async connectZoom(key, credentials) {
      if (config.zoom === undefined) throw notConfigured('zoom');
      await connectZoom(vault, key, config.zoom.tokenUrl ?? ZOOM_TOKEN_URL, credentials, runtime);
      sources.delete(id(key));
    },
    provider: providerFor,
    async zoomWebhookSecret(orgId) {
      const credentials = await vault.get({ orgId, provider: 'zoom' });
      return credentials?.kind === 'zoom_s2s' ? credentials.webhookSecretToken : undefined;
    },
    async createLinkedMeeting(key, input) {
      const meeting = await providerFor(key).createMeeting(input);
      return { provider: key.provider, externalId: meeting.externalId, linked: linkedMeetingOf(meeting) };
    },
    async subscribeCalendar(key, request) {
      if (key.provider === 'google') {
        return watchGoogleCalendar(
          tokensFor(key),
          {
            id: randomUUID(),
            address: request.notificationUrl,
            token: request.clientState,
            expiresAt: request.expiresAt,
          },
          google,
        );
      }
      if (key.provider !== 'microsoft')
        throw new ProviderError(key.provider, 'unavailable', 'only Graph and Google calendars are subscribed to');
      const made = await createGraphSubscription(tokensFor(key), request, graph);
      return { id: made.id, expiresAt: made.expirationDateTime, resourceId: null };
    },
    stopCalendar: (key, id, resourceId) => stopGoogleChannel(tokensFor(key), { id, resourceId }, google),
    calendarChanges: (key, syncToken) => googleCalendarChanges(tokensFor(key), syncToken, google),
    outlookEvent: (key, eventId) => followedEvent(tokensFor(key), eventId, graph),
    async renewCalendar(key, subscriptionId, expiresAt) {
      const renewed = await renewGraphSubscription(tokensFor(key), subscriptionId, expiresAt, graph);
      return { expiresAt: renewed.expirationDateTime };
    },
    updateLinkedMeeting: (key, externalId, input) => providerFor(key).updateMeeting(externalId, input),
    cancelLinkedMeeting: (key, externalId) => providerFor(key).cancelMeeting(externalId),
    changeLinkedOccurrence: (key, externalId, occurrence, cancelled) =>
      cancelled
        ? providerFor(key).cancelOccurrence(externalId, occurrence)
        : providerFor(key).updateOccurrence(externalId, occurrence),
    async calendar(key, window) {
      return calendarEntries(await providerFor(key).listEvents(window));
    },
    async revoke(key) {
      sources.delete(id(key));
      const credentials = await vault.get(key).catch(() => undefined);
      if (credentials?.kind === 'oauth' && key.provider !== 'zoom') {
        await revokeGrant(oauthClientFor(config, key.provider), credentials.refreshToken, runtime).catch(
          () => undefined,
        );
      }
      return vault.revoke(key);
    },
  };
}
