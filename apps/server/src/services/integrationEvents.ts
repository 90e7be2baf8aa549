import type { OutgoingWebhookService } from './outgoingWebhooks.ts';
import type { Realtime } from './realtime.ts';

/**
 * Where outgoing webhooks hear that events were queued: realtime, through which every committed
 * chat event and decision change is announced (so no service calls webhooks itself). Each event
 * is queued with what it reports, exactly once: a message from the organisation's change stream
 * (outgoingWebhooks.ts `messageQueue`), a decision's and a meeting's start or end in the
 * transaction that writes it (store `queueEventIn`; meetings: LiveKit's room lifecycle, in
 * services/index.ts). These only nudge: the message queue, and the delivery worker.
 */
export function webhookEventSources({
  queued,
  messageWritten,
}: Pick<OutgoingWebhookService, 'queued' | 'messageWritten'>) {
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
  };
}
