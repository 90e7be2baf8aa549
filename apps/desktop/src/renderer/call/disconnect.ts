import { DisconnectReason } from 'livekit-client';

/**
 * What to tell someone whose call ended without them leaving. LiveKit gives a numeric reason;
 * people need to know whether to rejoin, so the message says what happened in their words.
 */
export function disconnectMessage(reason: DisconnectReason | undefined): string {
  switch (reason) {
    case DisconnectReason.DUPLICATE_IDENTITY:
      return 'You joined this meeting from another window or device, so this one left.';
    case DisconnectReason.PARTICIPANT_REMOVED:
      return 'A host removed you from the meeting.';
    case DisconnectReason.ROOM_DELETED:
    case DisconnectReason.ROOM_CLOSED:
      return 'The meeting has ended.';
    case DisconnectReason.SERVER_SHUTDOWN:
    case DisconnectReason.MIGRATION:
      return 'The media server restarted. Join again to continue.';
    case DisconnectReason.JOIN_FAILURE:
    case DisconnectReason.CONNECTION_TIMEOUT:
    case DisconnectReason.SIGNAL_CLOSE:
    case DisconnectReason.STATE_MISMATCH:
      return 'The connection to the meeting was lost and could not be restored. Join again to continue.';
    default:
      return 'You are no longer connected to the meeting.';
  }
}
