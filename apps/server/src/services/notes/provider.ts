import type { NoteItemKind, NotesProviderName, TranscriptSegment } from '@tandem/shared';

/** A person of the meeting, as owners are resolved against. */
export type MeetingPerson = { readonly id: string; readonly name: string };

/** What a notes provider reads: the transcript, who was in the meeting, and the zone dates are read in. */
export type NotesInput = {
  readonly meetingTitle: string;
  /** Oldest first. */
  readonly segments: readonly TranscriptSegment[];
  /** The owner, the invitees and whoever attended: the only people an item may be given to. */
  readonly people: readonly MeetingPerson[];
  /** IANA name. */
  readonly timeZone: string;
};

/** An item as a provider proposes it, before evidence is attached and the owner is checked. */
export type ProposedItem = {
  readonly kind: NoteItemKind;
  readonly title: string;
  /** Who it is for, as heard; `userId` when the provider already knows the person (a speaker). */
  readonly owner: { readonly name: string; readonly userId: string | null } | null;
  readonly dueDate: string | null;
  /** The transcript segments it came from (ids of `NotesInput.segments`), at least one. */
  readonly segmentIds: readonly string[];
};

export type ProposedNotes = { readonly summary: string; readonly items: readonly ProposedItem[] };

/**
 * Where notes come from: the deterministic extractor (extractor.ts), or an OpenAI-compatible model
 * IT configured (llm.ts), which falls back to the extractor when it fails or answers badly.
 */
export type NotesProvider = {
  readonly name: NotesProviderName;
  propose(input: NotesInput): Promise<ProposedNotes>;
};
