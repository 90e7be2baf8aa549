import type { OutgoingWebhookService } from './outgoingWebhooks.ts';
import type { Log, Realtime } from './realtime.ts';
import type { MeetingLifecycle } from './webhooks.ts';

/**
 * Where outgoing webhooks hear of events: realtime, through which every committed chat event and
 * decision change is announced (so no service calls webhooks itself), and LiveKit's room
 * lifecycle for meetings starting and ending. Queuing never holds up or fails the change it
 * reports; a failure to queue is logged. A message is only a nudge: `message.created` is queued
 * from the change stream (outgoingWebhooks.ts `messageQueue`).
 */
export function webhookEventSources(
  { publish, messageWritten }: Pick<OutgoingWebhookService, 'publish' | 'messageWritten'>,
  log: Log,
) {
  const queued = (done: Promise<void>): void => void done.catch((e: unknown) => log('webhook event not queued', e));
  return {
    /** Realtime as before, which also queues `message.created` and `decision.created`/`updated`. */
    realtime(realtime: Realtime): Realtime {
      return {
        ...realtime,
        chat(conversation, event, offset, rosterVersion) {
          realtime.chat(conversation, event, offset, rosterVersion);
          if (event.type === 'message') messageWritten(conversation.organisationId);
        },
        toOrg(organisationId, message) {
          realtime.toOrg(organisationId, message);
          if (message.type === 'decision.changed') {
            const type = message.decision.version === 1 ? 'decision.created' : 'decision.updated';
            queued(publish(organisationId, type, { decision: message.decision }));
          }
        },
      };
    },

    meetings: ((type, meeting) =>
      queued(publish(meeting.organisationId, type, { meeting }))) satisfies MeetingLifecycle,
  };
}
