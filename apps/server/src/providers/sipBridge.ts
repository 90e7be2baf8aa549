import { bridgeCodeOf, dialTones, type LinkedMeeting } from '@tandem/shared';

/**
 * The arguments of LiveKit SIP's CreateSIPParticipant for dialling a linked meeting's phone
 * bridge (or its room connector's SIP address) into one of our rooms. `services/phone.ts` picks
 * the trunk for `sipCallTo` (the provider's trunk for a number, one of its own for a SIP address)
 * and `apps/server/src/livekit` passes them to `SipClient.createSipParticipant(trunk, sipCallTo,
 * roomName, { participantIdentity, participantName, dtmf, playDialtone })`.
 */
export type SipBridgeRequest = {
  /** E.164 number of the meeting's phone bridge, or its room connector's SIP address (`sip:…`). */
  readonly sipCallTo: string;
  readonly roomName: string;
  readonly participantIdentity: string;
  readonly participantName: string;
  /** Keypad tones sent once the bridge answers; each `w` waits 0.5 s; empty when the address names the meeting. */
  readonly dtmf: string;
  /** Our room hears nothing while the call rings: the bridge's own prompts follow. */
  readonly playDialtone: false;
};

export type SipBridgePlan =
  | {
      readonly ok: true;
      readonly request: SipBridgeRequest;
      /**
       * When `request` calls a room connector's SIP address: the phone bridge with its keypad
       * tones, called instead if the connector refuses the call (the meeting's account has no
       * room connector); null when the meeting has no number and code for it, or `request` is it.
       */
      readonly fallback: SipBridgeRequest | null;
    }
  | { readonly ok: false; readonly reason: 'no_phone_number' | 'no_bridge_code'; readonly message: string };

/**
 * A bridge answers with a greeting before it listens for the code: the one-tap convention puts
 * two pauses (about four seconds) there, which is what we wait too.
 */
const GREETING_PAUSE = ',,';
/** The one-tap `,` pause is about two seconds; LiveKit's `w` is half a second. */
const PAUSE_AS_WAITS = 'wwww';

/** The bridge's participant: `bridge:<provider>:<number or SIP address>`, which `bridgeDestination` reads back. */
const BRIDGE_PREFIX = 'bridge:';
export const isBridgeIdentity = (identity: string): boolean => identity.startsWith(BRIDGE_PREFIX);
/** What the bridge participant `identity` dials: after `bridge:<provider>:`. */
export const bridgeDestination = (identity: string): string =>
  identity.slice(identity.indexOf(':', BRIDGE_PREFIX.length) + 1);

/**
 * Plans how our room dials into a linked meeting: where, and which keypad tones carry the
 * conference ID, meeting ID, passcode, PIN or video ID. A room connector's SIP address printed
 * in the invitation (`meeting.sipBridge`: Zoom's "Join by SIP", Teams' video conferencing
 * device) comes first: no phone call to pay for, and wideband audio; the phone bridge is then its
 * fallback. Else a phone number; those without a country code cannot be dialled through a trunk
 * and are skipped; `preferredPrefix` (e.g. `+49`) picks the local one.
 */
export function planSipBridge(input: {
  readonly meeting: LinkedMeeting;
  readonly roomName: string;
  readonly preferredPrefix?: string;
}): SipBridgePlan {
  const { meeting } = input;
  const request = (to: string, tones: string | null): SipBridgeRequest => ({
    sipCallTo: to,
    roomName: input.roomName,
    participantIdentity: `${BRIDGE_PREFIX}${meeting.provider}:${to}`,
    participantName: `${PLATFORM_NAMES[meeting.provider]} ${to.startsWith('sip:') ? 'room connector' : 'phone bridge'}`,
    dtmf: tones === null ? '' : `${GREETING_PAUSE}${tones}`.replaceAll(',', PAUSE_AS_WAITS),
    playDialtone: false,
  });
  const phone = phoneBridge(meeting, input.preferredPrefix);
  if (meeting.sipBridge !== null) {
    const { address, code } = meeting.sipBridge;
    const fallback = phone.ok ? request(phone.number, phone.tones) : null;
    return { ok: true, request: request(address, code === null ? null : `${code}#`), fallback };
  }
  return phone.ok ? { ok: true, request: request(phone.number, phone.tones), fallback: null } : phone;
}

/** The linked meeting's phone bridge: the number to dial and its keypad tones, or why there is none. */
function phoneBridge(
  meeting: LinkedMeeting,
  preferredPrefix: string | undefined,
):
  | { readonly ok: true; readonly number: string; readonly tones: string }
  | Extract<SipBridgePlan, { readonly ok: false }> {
  const numbers = meeting.dialIns.flatMap((dialIn) => (dialIn.e164 === null ? [] : [dialIn.e164]));
  const number = numbers.find((n) => preferredPrefix !== undefined && n.startsWith(preferredPrefix)) ?? numbers[0];
  if (number === undefined) {
    return {
      ok: false,
      reason: 'no_phone_number',
      message: 'This meeting has no dial-in number with a country code, nor a SIP address.',
    };
  }
  const code = bridgeCodeOf(meeting);
  if (code === null) {
    return {
      ok: false,
      reason: 'no_bridge_code',
      message: 'This meeting has no conference ID or PIN for its phone bridge.',
    };
  }
  return { ok: true, number, tones: dialTones(code) };
}

const PLATFORM_NAMES: Readonly<Record<LinkedMeeting['provider'], string>> = {
  teams: 'Teams',
  zoom: 'Zoom',
  meet: 'Google Meet',
  tandem: 'Tandem',
};
