import { annotations } from '@tandem/shared';
import type { Room } from 'livekit-client';
import { initialState, receiveAnnotation, shareChanged } from '../collab/annotations/model.ts';
import { isHostParticipant, onTopic } from '../collab/roomData.ts';

export type AnnotationReader = {
  /** A new share starts a new drawing (null: nobody shares). */
  setSharer(sharerId: string | null): void;
  /** The live elements, in paint order. */
  elements(): readonly annotations.AnnotationElement[];
  detach(): void;
};

/**
 * The annotations drawn on the shared screen, as the call's own model merges them, read-only: the
 * recorder publishes nothing, so it cannot ask the sharer for what was drawn before it joined; it
 * shows everything drawn from then on.
 */
export function readAnnotations(room: Room): AnnotationReader {
  const assembler = new annotations.ChunkAssembler();
  let state = initialState(room.localParticipant.identity, false);
  const off = onTopic(room, annotations.ANNOTATIONS_TOPIC, (json, sender) => {
    const message = annotations.AnnotationMessageSchema.safeParse(json);
    if (!message.success) return;
    const from = { id: sender.identity, isHost: isHostParticipant(sender) };
    state = receiveAnnotation(state, message.data, from, assembler).state;
  });
  return {
    setSharer(sharerId) {
      state = shareChanged(state, sharerId);
    },
    elements: () => annotations.paintOrder(state.scene),
    detach: off,
  };
}
