import { RoomEvent, type RemoteParticipant, type Room } from 'livekit-client';

/** A namespaced LiveKit data topic and whether it is sent reliably (see @tandem/shared). */
export type Topic = { readonly topic: string; readonly reliable: boolean };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON on a topic, to everyone or to the named identities only. */
export function publishJson(room: Room, topic: Topic, message: unknown, to?: readonly string[]): Promise<void> {
  return room.localParticipant.publishData(encoder.encode(JSON.stringify(message)), {
    reliable: topic.reliable,
    topic: topic.topic,
    ...(to === undefined ? {} : { destinationIdentities: [...to] }),
  });
}

/**
 * Calls `handle` with the parsed JSON of every message on `topic` from a remote participant;
 * payloads that are not JSON are dropped (the caller validates the shape). Returns the `off`.
 */
export function onTopic(
  room: Room,
  topic: Topic,
  handle: (json: unknown, sender: RemoteParticipant) => void,
): () => void {
  const listener = (payload: Uint8Array, sender?: RemoteParticipant, _kind?: unknown, name?: string) => {
    if (name !== topic.topic || sender === undefined) return;
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(payload));
    } catch {
      return;
    }
    handle(json, sender);
  };
  room.on(RoomEvent.DataReceived, listener);
  return () => {
    room.off(RoomEvent.DataReceived, listener);
  };
}

/** Hosts carry `role: host` in their token's attributes (set by the coordination server). */
export function isHostParticipant(participant: { readonly attributes: Readonly<Record<string, string>> }): boolean {
  return participant.attributes['role'] === 'host';
}
