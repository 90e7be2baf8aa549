import {
  joinUrls,
  type Calendar,
  type CalendarQuery,
  type ConnectionScope,
  type ConsentUrl,
  type LinkedMeeting,
  type LinkedMeetingRead,
  type LinkedMeetingRecord,
  type OAuthProviderId,
  type ProviderConnection,
  type ProviderId,
  type ProviderList,
  type ZoomConnectRequest,
} from '@tandem/shared';
import { startLoopbackReceiver, type LoopbackReceiver } from './loopbackReceiver.ts';
import { ServiceError } from './errors.ts';
import type { Session } from './session.ts';

/** The server keeps a consent 10 minutes; the receiver waits as long. */
const CONSENT_WAIT_MS = 10 * 60_000;
/** Where the provider sends the browser back to this app. */
const CONSENT_PATH = '/providers/callback';

/** How a linked meeting was opened: its native client's URL, or the browser fallback. */
export type LinkedJoin = { readonly opened: 'native' | 'web'; readonly url: string };

export type LinkedService = {
  /**
   * Opens the meeting's native client (`msteams:`, `zoommtg:`; the browser for Meet) through the
   * one external-link gate, and the web link when the native one is refused or fails to open.
   */
  join(meeting: LinkedMeeting): Promise<LinkedJoin>;
  calendar(window: CalendarQuery): Promise<Calendar>;
  get(meetingId: string): Promise<LinkedMeetingRead>;
  attach(meetingId: string, text: string): Promise<LinkedMeetingRecord>;
  providers(): Promise<ProviderList>;
  /**
   * Starts a consent whose redirect is this app's loopback receiver (RFC 8252 §7.3) and opens the
   * provider's sign-in page in the system browser: the code comes back here and is completed with
   * this session, so a consent approved by someone else is refused by the server.
   */
  consent(provider: OAuthProviderId, scope: ConnectionScope): Promise<ConsentUrl>;
  connectZoom(request: ZoomConnectRequest): Promise<ProviderConnection>;
  revoke(provider: ProviderId, scope: ConnectionScope): Promise<void>;
};

export function createLinked(deps: {
  readonly session: Session;
  /** The app's one gated opener (`shell:openExternal`): throws for links the allowlist refuses. */
  readonly openExternal: (url: string) => Promise<void>;
  /**
   * The system browser for a sign-in page our server answered (the provider's consent page, which
   * may be a national cloud's or the deployment's own): main checks it like single sign-on's.
   */
  readonly openSignInPage: (url: string) => Promise<void>;
}): LinkedService {
  let receiver: LoopbackReceiver | undefined;
  return {
    async join(meeting) {
      if (meeting.provider === 'tandem') {
        throw new ServiceError('bad_request', 'a Tandem meeting is joined in the app, not opened outside it');
      }
      const { native, web } = joinUrls(meeting);
      let refusal: unknown;
      for (const [opened, url] of [
        ['native', native],
        ['web', web],
      ] as const) {
        if (url === null) continue;
        try {
          await deps.openExternal(url);
          return { opened, url };
        } catch (error) {
          refusal = error;
        }
      }
      if (refusal instanceof ServiceError) throw refusal;
      throw new ServiceError('unavailable', 'this meeting could not be opened in its app or the browser');
    },
    calendar: (window) => deps.session.call('calendar', { query: window }),
    get: (meetingId) => deps.session.call('getLinkedMeeting', { params: { meetingId } }),
    attach: (meetingId, text) => deps.session.call('attachInvitation', { params: { meetingId }, body: { text } }),
    providers: () => deps.session.call('listProviders'),
    async consent(provider, scope) {
      if (deps.session.current() === null) throw new ServiceError('unauthenticated', 'sign in first');
      // One consent at a time: a new one replaces a receiver still waiting.
      receiver?.close();
      const started = await startLoopbackReceiver({
        path: CONSENT_PATH,
        expiresAtMs: Date.now() + CONSENT_WAIT_MS,
        async receive(query) {
          const code = query.get('code');
          const state = query.get('state');
          if (code === null || state === null) throw new ServiceError('bad_request', 'the provider sent no approval');
          await deps.session.call('completeConsent', { body: { code, state } });
        },
        pages: {
          done: 'The account is connected. You can close this tab and return to Tandem.',
          failed: 'The account was not connected. Return to Tandem and start again.',
        },
      });
      receiver = started;
      try {
        const consent = await deps.session.call('providerConsent', {
          body: { provider, scope, redirectUri: started.redirectUri },
        });
        await deps.openSignInPage(consent.url);
        return consent;
      } catch (error) {
        started.close();
        throw error;
      }
    },
    connectZoom: (request) => deps.session.call('connectZoom', { body: request }),
    async revoke(provider, scope) {
      await deps.session.call('revokeProvider', { params: { provider }, query: { scope } });
    },
  };
}
