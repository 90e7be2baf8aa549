import { bridgeCodeOf, dialTones, type LinkedMeeting } from '@tandem/shared';

/**
 * The arguments of LiveKit SIP's CreateSIPParticipant for dialling a linked meeting's phone
 * bridge into one of our rooms. `apps/server/src/livekit` passes them to
 * `SipClient.createSipParticipant(sipTrunkId, sipCallTo, roomName, { participantIdentity,
 * participantName, dtmf, playDialtone })`.
 */
export type SipBridgeRequest = {
  readonly sipTrunkId: string;
  /** E.164 number of the meeting's phone bridge. */
  readonly sipCallTo: string;
  readonly roomName: string;
  readonly participantIdentity: string;
  readonly participantName: string;
  /** Keypad tones sent once the bridge answers; each `w` waits 0.5 s. */
  readonly dtmf: string;
  /** Our room hears nothing while the call rings: the bridge's own prompts follow. */
  readonly playDialtone: false;
};

export type SipBridgePlan =
  | { readonly ok: true; readonly request: SipBridgeRequest }
  | { readonly ok: false; readonly reason: 'no_phone_number' | 'no_bridge_code'; readonly message: string };

/**
 * A bridge answers with a greeting before it listens for the code: the one-tap convention puts
 * two pauses (about four seconds) there, which is what we wait too.
 */
const GREETING_PAUSE = ',,';
/** The one-tap `,` pause is about two seconds; LiveKit's `w` is half a second. */
const PAUSE_AS_WAITS = 'wwww';

/**
 * Plans how our room dials into a linked meeting: which number, and which keypad tones carry
 * the conference ID, meeting ID, passcode or PIN. Numbers without a country code cannot be
 * dialled through a trunk and are skipped; `preferredPrefix` (e.g. `+49`) picks the local one.
 */
export function planSipBridge(input: {
  readonly meeting: LinkedMeeting;
  readonly sipTrunkId: string;
  readonly roomName: string;
  readonly preferredPrefix?: string;
}): SipBridgePlan {
  const numbers = input.meeting.dialIns.flatMap((dialIn) => (dialIn.e164 === null ? [] : [dialIn.e164]));
  const number =
    numbers.find((n) => input.preferredPrefix !== undefined && n.startsWith(input.preferredPrefix)) ?? numbers[0];
  if (number === undefined) {
    return { ok: false, reason: 'no_phone_number', message: 'This meeting has no dial-in number with a country code.' };
  }
  const code = bridgeCodeOf(input.meeting);
  if (code === null) {
    return {
      ok: false,
      reason: 'no_bridge_code',
      message: 'This meeting has no conference ID or PIN for its phone bridge.',
    };
  }
  const tones = `${GREETING_PAUSE}${dialTones(code)}`.replaceAll(',', PAUSE_AS_WAITS);
  return {
    ok: true,
    request: {
      sipTrunkId: input.sipTrunkId,
      sipCallTo: number,
      roomName: input.roomName,
      participantIdentity: `bridge:${input.meeting.provider}:${number}`,
      participantName: `${PLATFORM_NAMES[input.meeting.provider]} phone bridge`,
      dtmf: tones,
      playDialtone: false,
    },
  };
}

const PLATFORM_NAMES: Readonly<Record<LinkedMeeting['provider'], string>> = {
  teams: 'Teams',
  zoom: 'Zoom',
  meet: 'Google Meet',
  tandem: 'Tandem',
};
