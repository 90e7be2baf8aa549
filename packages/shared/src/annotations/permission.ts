/**
 * Who may draw and erase on a shared screen.
 *
 * The sharer owns the policy: they switch annotation on or off for everyone else and publish the
 * switch as a `permission` message with a growing version (only the sharer's messages count, and
 * only a newer version replaces the current one). The sharer may always draw. "Clear all" is for
 * the host and the sharer ("moderators"). Every client filters received elements through
 * `admitRemote`, so a misbehaving client cannot draw when it may not or touch others' drawing.
 */
import type { AnnotationElement } from './element.ts';
import type { Scene } from './reconcile.ts';

export type AnnotationPolicy = {
  /** LiveKit identity of the participant whose screen is shared. */
  readonly sharerId: string;
  /** Whether participants other than the sharer may draw. */
  readonly allowed: boolean;
  /** Grows with every change the sharer makes. */
  readonly version: number;
};

export type Participant = { readonly id: string; readonly isHost: boolean };

/** Annotation starts switched off: the sharer opts in. */
export function initialPolicy(sharerId: string): AnnotationPolicy {
  return { sharerId, allowed: false, version: 0 };
}

export function setAllowed(policy: AnnotationPolicy, allowed: boolean): AnnotationPolicy {
  return { ...policy, allowed, version: policy.version + 1 };
}

/** A received policy change, applied only if the sharer sent it and it is newer than what we have. */
export function applyPolicy(
  policy: AnnotationPolicy,
  change: { readonly allowed: boolean; readonly version: number },
  senderId: string,
): AnnotationPolicy {
  return senderId === policy.sharerId && change.version > policy.version
    ? { ...policy, allowed: change.allowed, version: change.version }
    : policy;
}

export function canAnnotate(policy: AnnotationPolicy, participantId: string): boolean {
  return participantId === policy.sharerId || policy.allowed;
}

export function isModerator(policy: AnnotationPolicy, participant: Participant): boolean {
  return participant.isHost || participant.id === policy.sharerId;
}

/**
 * The received records a client merges; the rest are dropped.
 * - Nobody may take over an id someone else authored.
 * - Authors may write their own elements while they may annotate, and may always erase them.
 * - Moderators may tombstone anyone's element ("clear all", erasing).
 * - A snapshot relayed by the sharer for a late joiner carries everyone's elements and is trusted
 *   as a whole, because the sharer answers snapshot requests (see messages.ts).
 */
export function admitRemote(
  scene: Scene,
  elements: readonly AnnotationElement[],
  sender: Participant,
  policy: AnnotationPolicy,
  options: { readonly snapshot?: boolean } = {},
): AnnotationElement[] {
  if (options.snapshot === true && sender.id === policy.sharerId) return [...elements];
  return elements.filter((element) => {
    const known = scene.get(element.id);
    if (known !== undefined && known.authorId !== element.authorId) return false;
    if (element.authorId === sender.id) return element.isDeleted || canAnnotate(policy, sender.id);
    return element.isDeleted && isModerator(policy, sender);
  });
}
