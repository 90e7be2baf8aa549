import type { Livekit } from '../livekit/index.ts';
import type { Store } from '../store/index.ts';
import { auditService } from './audit.ts';
import { authService, type AuthSettings } from './auth.ts';
import { guestLinkService } from './guestLinks.ts';
import { breakoutService } from './breakouts.ts';
import { chatService } from './chat.ts';
import { conversationAccess } from './conversationAccess.ts';
import { conversationService } from './conversations.ts';
import type { Caller } from './context.ts';
import { decisionService } from './decisions.ts';
import { handService } from './hands.ts';
import { meetingAccess } from './meetingAccess.ts';
import { linkedService, type LinkedProviders } from './linked.ts';
import { meetingService } from './meetings.ts';
import { peopleService } from './people.ts';
import { pollService } from './polls.ts';
import { presenceService } from './presence.ts';
import { qnaService } from './qna.ts';
import { createRealtime, type Log } from './realtime.ts';
import { webhookService } from './webhooks.ts';

export type { Caller, RequestOrigin } from './context.ts';
export { ServiceError } from './errors.ts';
export { frameOf, type EndReason, type Realtime, type RealtimeConnection, type Send } from './realtime.ts';
export { linkedProviders, type LinkedProviders } from './linked.ts';

export function createServices(
  store: Store,
  livekit: Livekit,
  auth: AuthSettings,
  log: Log,
  linkedProviders?: LinkedProviders,
  /** IT's word on people from outside joining by link (each organisation may still turn it off). */
  externalGuests = true,
) {
  const conversationRules = conversationAccess(store);
  const realtime = createRealtime(store, log, conversationRules);
  const presence = presenceService(store, realtime);
  const access = meetingAccess(store);
  const breakouts = breakoutService(store, livekit, realtime, access, log);
  const meetings = meetingService(store, livekit, realtime, presence, access);
  const audit = auditService(store);
  const identity = authService(store, auth, (sessionId) => realtime.endSession(sessionId, 'session_ended'), audit);
  // Deactivation and role changes end access through realtime: the token cache forgets them at once.
  realtime.onEnd(identity.forget);
  return {
    audit,
    auth: identity,
    people: peopleService(store, livekit, realtime, presence, meetings),
    meetings: {
      ...meetings,
      // Ending or cancelling a meeting closes its breakout rooms as well.
      end: async (caller: Caller, meetingId: string) => {
        const over = await meetings.end(caller, meetingId);
        await breakouts.meetingOver(over);
        return over;
      },
      cancel: async (caller: Caller, meetingId: string) => {
        const over = await meetings.cancel(caller, meetingId);
        await breakouts.meetingOver(over);
        return over;
      },
    },
    guestLinks: guestLinkService(store, identity, meetings, { externalGuests }),
    chat: chatService(store, realtime, conversationRules),
    conversations: conversationService(store, realtime, conversationRules),
    decisions: decisionService(store, realtime, conversationRules),
    breakouts,
    hands: handService(store, realtime, access),
    polls: pollService(store, realtime, access),
    qna: qnaService(store, realtime, access),
    linked: linkedService(store, access, linkedProviders),
    presence,
    webhooks: webhookService(store, livekit, presence),
    realtime,
    /** Stops background work before the store closes. */
    stop(): void {
      breakouts.stop();
    },
    async health(): Promise<{ database: boolean; livekit: boolean }> {
      const [database, lk] = await Promise.all([store.ping(), livekit.reachable()]);
      return { database, livekit: lk };
    },
  };
}

export type Services = ReturnType<typeof createServices>;
