import { z } from 'zod';

/**
 * Phone calls into and out of meetings (livekit-sip): dial-in numbers of an organisation, a
 * meeting's PIN, calling a phone or SIP address into a meeting, and the audio bridge into a
 * linked Teams, Zoom or Meet meeting.
 */

/** `+` and 8 to 15 digits, the form a SIP trunk dials. */
export const E164Schema = z.string().regex(/^\+[1-9]\d{7,14}$/, 'an international number: + then 8 to 15 digits');

/** One number people call to reach the organisation's meetings, with what it is (a country, a city, toll-free). */
export const DialInNumberSchema = z.object({
  number: E164Schema,
  label: z.string().trim().max(60).default(''),
});
export type DialInNumber = z.infer<typeof DialInNumberSchema>;

/** An organisation's dial-in numbers (owners and admins set them; everyone reads them in invitations). */
export const DialInNumbersSchema = z.object({ numbers: z.array(DialInNumberSchema).max(20) });
export type DialInNumbers = z.infer<typeof DialInNumbersSchema>;

/** PINs are 9 digits: a billion of them, so guessing one by trying is hopeless even before the rate limit. */
export const PHONE_PIN_DIGITS = 9;

/**
 * How to call into one meeting: its numbers and PIN. `available` is false when this server has no
 * phone service or the organisation has no number; then `pin` is null.
 */
export const DialInDetailsSchema = z.object({
  available: z.boolean(),
  numbers: z.array(DialInNumberSchema),
  pin: z.string().regex(/^\d+$/).nullable(),
});
export type DialInDetails = z.infer<typeof DialInDetailsSchema>;

/** The phone number (E.164) to call into a meeting, through the server's SIP trunk. */
export const DialOutRequestSchema = z.object({ to: E164Schema });
export type DialOutRequest = z.infer<typeof DialOutRequestSchema>;

/** Who the call became in the meeting's room (hosts mute and remove them like anyone). */
export const DialOutResultSchema = z.object({ identity: z.string(), name: z.string() });
export type DialOutResult = z.infer<typeof DialOutResultSchema>;

/**
 * The audio bridge into a linked meeting: `off`, `dialling` (the far bridge rings or hears its
 * keypad tones), `connected` (both meetings hear each other).
 */
export const AudioBridgeStateSchema = z.enum(['off', 'dialling', 'connected']);
export const AudioBridgeSchema = z.object({
  state: AudioBridgeStateSchema,
  /** The number the bridge dials (or dialled), null when off. */
  number: E164Schema.nullable(),
});
export type AudioBridge = z.infer<typeof AudioBridgeSchema>;

/**
 * A number as others see a phone caller: country code and the last four digits, the rest hidden
 * (`+441234561234` → `+44 •••• ••12 34`). Anything else (a withheld number) keeps only its last four characters.
 */
export function maskPhoneNumber(number: string): string {
  const digits = number.replace(/^\+/, '');
  if (!/^\d{8,15}$/.test(digits)) return `•••• ${number.slice(-4)}`;
  const country = digits.startsWith('1') || digits.startsWith('7') ? digits.slice(0, 1) : digits.slice(0, 2);
  const last = digits.slice(-4);
  return `+${country} •••• ••${last.slice(0, 2)} ${last.slice(2)}`;
}

/** A PIN as people read it out: groups of three (`123 456 789`). */
export const formatPin = (pin: string): string => pin.replace(/(\d{3})(?=\d)/g, '$1 ');
