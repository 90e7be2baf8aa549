import type { E2eeParticipantDevice } from '@tandem/shared';

/**
 * What this device should do about the meeting key, decided the same way on every participant's
 * device from the same facts, so that one of them acts and the others wait:
 * - `create`: a new generation for everyone present. Needed when nobody present holds the newest
 *   key (the first key of a call), or when someone who holds it has left the call (their key must
 *   not open what is sent from now on).
 * - `share`: the newest key, wrapped for those present who lack it (someone joined).
 * The one who acts is the lowest identity among those present who hold the newest key (or among
 * all present when nobody does); everyone else gets `wait`.
 */
export type KeyPlan =
  | { readonly kind: 'wait' }
  | { readonly kind: 'create'; readonly generation: number; readonly recipients: readonly E2eeParticipantDevice[] }
  | { readonly kind: 'share'; readonly generation: number; readonly recipients: readonly E2eeParticipantDevice[] };

export type KeyFacts = {
  /** This device's user (its LiveKit identity). */
  readonly self: string;
  /** LiveKit identities in the call now, this one included. */
  readonly present: ReadonlySet<string>;
  /** The meeting's newest generation (0: none yet). */
  readonly generation: number;
  /** Announced devices, with the newest generation each holds. */
  readonly devices: readonly E2eeParticipantDevice[];
};

const lowest = (ids: readonly string[]): string | undefined =>
  ids.reduce<string | undefined>((low, id) => (low === undefined || id < low ? id : low), undefined);

export function keyPlan(f: KeyFacts): KeyPlan {
  const inCall = f.devices.filter((d) => f.present.has(d.userId));
  const holds = (d: E2eeParticipantDevice) => f.generation > 0 && d.generation === f.generation;
  const holders = inCall.filter(holds);
  const departed = f.devices.some((d) => holds(d) && !f.present.has(d.userId));
  const actor = lowest((holders.length > 0 ? holders : inCall).map((d) => d.userId));
  if (actor !== f.self) return { kind: 'wait' };
  if (holders.length === 0 || departed) return { kind: 'create', generation: f.generation + 1, recipients: inCall };
  const lacking = inCall.filter((d) => !holds(d));
  return lacking.length === 0 ? { kind: 'wait' } : { kind: 'share', generation: f.generation, recipients: lacking };
}
