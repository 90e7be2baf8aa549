import { DisconnectReason } from 'livekit-client';
import { translateNow } from '../i18n/current.ts';

/**
 * What to tell someone whose call ended without them leaving. LiveKit gives a numeric reason;
 * people need to know whether to rejoin, so the message says what happened in their words.
 */
export function disconnectMessage(reason: DisconnectReason | undefined): string {
  switch (reason) {
    case DisconnectReason.DUPLICATE_IDENTITY:
      return translateNow('call.ended.duplicate');
    case DisconnectReason.PARTICIPANT_REMOVED:
      return translateNow('call.ended.removed');
    case DisconnectReason.ROOM_DELETED:
    case DisconnectReason.ROOM_CLOSED:
      return translateNow('call.ended.closed');
    case DisconnectReason.SERVER_SHUTDOWN:
    case DisconnectReason.MIGRATION:
      return translateNow('call.ended.serverRestart');
    case DisconnectReason.JOIN_FAILURE:
    case DisconnectReason.CONNECTION_TIMEOUT:
    case DisconnectReason.SIGNAL_CLOSE:
    case DisconnectReason.STATE_MISMATCH:
      return translateNow('call.ended.lost');
    default:
      return translateNow('call.ended.other');
  }
}
