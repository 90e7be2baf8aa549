import type { Livekit } from '../livekit/index.ts';
import type { Store } from '../store/index.ts';
import { authService, type AuthSettings } from './auth.ts';
import { breakoutService } from './breakouts.ts';
import { chatService } from './chat.ts';
import { decisionService } from './decisions.ts';
import { handService } from './hands.ts';
import { meetingAccess } from './meetingAccess.ts';
import { linkedService, type LinkedProviders } from './linked.ts';
import { meetingService } from './meetings.ts';
import { pollService } from './polls.ts';
import { presenceService } from './presence.ts';
import { qnaService } from './qna.ts';
import { createRealtime, type Log } from './realtime.ts';
import { webhookService } from './webhooks.ts';

export type { Caller } from './context.ts';
export { ServiceError } from './errors.ts';
export type { Realtime, RealtimeConnection, Send } from './realtime.ts';
export { linkedProviders, type LinkedProviders } from './linked.ts';

export function createServices(
  store: Store,
  livekit: Livekit,
  auth: AuthSettings,
  log: Log,
  linkedProviders?: LinkedProviders,
) {
  const realtime = createRealtime(store, log);
  const presence = presenceService(store, realtime);
  const access = meetingAccess(store);
  return {
    auth: authService(store, auth),
    meetings: meetingService(store, livekit, realtime, presence),
    chat: chatService(store, realtime),
    decisions: decisionService(store, realtime),
    breakouts: breakoutService(store, livekit, realtime, access, log),
    hands: handService(store, realtime, access),
    polls: pollService(store, realtime, access),
    qna: qnaService(store, realtime, access),
    linked: linkedService(store, access, linkedProviders),
    presence,
    webhooks: webhookService(store, livekit, presence),
    realtime,
    async health(): Promise<{ database: boolean; livekit: boolean }> {
      const [database, lk] = await Promise.all([store.ping(), livekit.reachable()]);
      return { database, livekit: lk };
    },
  };
}

export type Services = ReturnType<typeof createServices>;
