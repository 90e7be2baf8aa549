import type { OutgoingWebhookService } from './outgoingWebhooks.ts';
import type { Log, Realtime } from './realtime.ts';
import type { MeetingLifecycle } from './webhooks.ts';

/**
 * Where outgoing webhooks hear of events: realtime, through which every committed chat event and
 * decision change is announced (so no service calls webhooks itself), and LiveKit's room
 * lifecycle for meetings starting and ending. Chat messages and decisions are queued with what
 * they report, exactly once: a message from the organisation's change stream (outgoingWebhooks.ts
 * `messageQueue`), a decision's in the transaction that writes it (store `queueEventIn`); realtime
 * only nudges them. Meetings' are queued after the change committed: that never holds up or fails
 * it, and a failure to queue is logged.
 */
export function webhookEventSources(
  { publish, queued, messageWritten }: Pick<OutgoingWebhookService, 'publish' | 'queued' | 'messageWritten'>,
  log: Log,
) {
  return {
    /** Realtime as before, which also nudges the queueing of `message.created` and the sending of decisions' events. */
    realtime(realtime: Realtime): Realtime {
      return {
        ...realtime,
        chat(conversation, event, offset, rosterVersion) {
          realtime.chat(conversation, event, offset, rosterVersion);
          if (event.type === 'message') messageWritten(conversation.organisationId);
        },
        toOrg(organisationId, message) {
          realtime.toOrg(organisationId, message);
          if (message.type === 'decision.changed') queued();
        },
      };
    },

    meetings: ((type, meeting) =>
      void publish(meeting.organisationId, type, { meeting }).catch((e: unknown) =>
        log('webhook event not queued', e),
      )) satisfies MeetingLifecycle,
  };
}
