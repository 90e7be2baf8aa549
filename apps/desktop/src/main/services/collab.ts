import {
  FORWARDED_ROUTES,
  MEETING_LIVE_TYPES,
  type ForwardedChannel,
  type IpcParsedRequest,
  type IpcResponse,
  type ServerMessage,
} from '@tandem/shared';
import type { CallInput } from './apiClient.ts';
import type { Emit } from './events.ts';
import type { Session } from './session.ts';

/**
 * In-meeting collaboration (lobby admission, host controls, hands, polls, Q&A, breakout rooms):
 * requests go to the server's route named in FORWARDED_ROUTES with the session's token, and the
 * server's live messages about meetings go to the renderer as `meeting:live`. Nothing is cached:
 * these only matter while one is in the meeting, and the server keeps them.
 */
export type CollabService = {
  forward<C extends ForwardedChannel>(channel: C, request: IpcParsedRequest<C>): Promise<IpcResponse<C>>;
  onServerMessage(message: ServerMessage): void;
};

export function createCollab(deps: { readonly session: Session; readonly emit: Emit }): CollabService {
  return {
    async forward(channel, request) {
      const route = FORWARDED_ROUTES[channel];
      // The channel's request is exactly the route's params and body (see the contract).
      const input = request as CallInput<typeof route>;
      return (await deps.session.call(route, input)) as IpcResponse<typeof channel>;
    },
    onServerMessage(message) {
      if (MEETING_LIVE_TYPES.has(message.type)) deps.emit('meeting:live', message);
    },
  };
}
