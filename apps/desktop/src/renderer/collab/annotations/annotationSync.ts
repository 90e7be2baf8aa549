/**
 * Annotation over LiveKit data: local edits are merged and published on the reliable topic,
 * received ones go through the model (admitRemote, reconcile), pointers go lossy. The sharer
 * answers late joiners' snapshot requests with the scene and the permission switch.
 */
import { annotations } from '@tandem/shared';
import type { Room } from 'livekit-client';
import type { StoreApi } from 'zustand';
import { isHostParticipant, onTopic, publishJson, type Topic } from '../roomData.ts';
import { authorColor } from './authorColor.ts';
import {
  applyLocal,
  canDraw,
  canErase,
  isModerator,
  receiveAnnotation,
  receivePointer,
  shareChanged,
  type AnnotationState,
  type Tool,
} from './model.ts';
import { translateNow } from '../../i18n/current.ts';
import { errorText } from '../../ui/errorText.ts';

export type AnnotationActions = {
  /** null stops annotating, so clicks reach the tile again. */
  setTool(tool: Tool | null): void;
  draw(draft: annotations.ElementDraft): void;
  erase(ids: readonly string[]): void;
  undo(): void;
  redo(): void;
  clearMine(): void;
  clearAll(): void;
  /** The sharer's switch for everyone else. */
  setAllowed(allowed: boolean): void;
  /** Our live pointer; null hides it. */
  point(at: annotations.NormalizedPoint | null): void;
};

/** Delays before asking the sharer again for the drawing (an empty one never answers). */
const SNAPSHOT_RETRIES_MS = [1_500, 4_000, 8_000] as const;

/** Pointers go out at most this often: enough to look live, little enough for a lossy channel. */
const POINTER_INTERVAL_MS = 50;

/** Where a drawing travels, and what else happens to one's own records: the shared screen's by default. */
export type DrawingChannel = {
  readonly topic: Topic;
  readonly pointerTopic: Topic;
  /** One's own new records, once merged and published (the whiteboard saves them on the server). */
  readonly committed?: (records: readonly annotations.AnnotationElement[]) => void;
  /** A drawn draft as the elements it becomes (the whiteboard cuts long strokes). */
  readonly split?: (draft: annotations.ElementDraft) => readonly annotations.ElementDraft[];
};

const SHARED_SCREEN: DrawingChannel = { topic: annotations.ANNOTATIONS_TOPIC, pointerTopic: annotations.POINTER_TOPIC };

export function attachAnnotations(
  room: Room,
  store: StoreApi<AnnotationState>,
  onError: (message: string) => void,
  channel: DrawingChannel = SHARED_SCREEN,
): { readonly actions: AnnotationActions; setSharer(sharerId: string | null): void; detach(): void } {
  const assembler = new annotations.ChunkAssembler();
  const publish = (messages: readonly annotations.AnnotationMessage[], to?: readonly string[]) => {
    for (const message of messages)
      publishJson(room, channel.topic, message, to).catch((e: unknown) =>
        onError(translateNow('collab.annotation.notSent', { reason: errorText(e) })),
      );
  };
  const commit = (records: readonly annotations.AnnotationElement[], history?: annotations.History) => {
    if (records.length === 0) return;
    store.setState((s) => applyLocal(s, records, history));
    publish(annotations.encodeElements(records));
    channel.committed?.(records);
  };
  let pointerSeq = 0;
  let lastPointerAt = 0;
  /** Pending re-asks for the sharer's snapshot; cleared once one arrives. */
  let retry: ReturnType<typeof setTimeout> | undefined;
  const stopAsking = () => {
    clearTimeout(retry);
    retry = undefined;
  };
  // A request sent in the first moments after joining can reach the sharer before the sharer
  // knows us, and LiveKit then drops it as from nobody: ask again until an answer comes.
  const askForSnapshot = (sharerId: string, attempt = 0) => {
    publish([{ t: 'snapshot-request' }], [sharerId]);
    if (attempt < SNAPSHOT_RETRIES_MS.length)
      retry = setTimeout(() => askForSnapshot(sharerId, attempt + 1), SNAPSHOT_RETRIES_MS[attempt]);
  };

  const offAnnotations = onTopic(room, channel.topic, (json, sender) => {
    const parsed = annotations.AnnotationMessageSchema.safeParse(json);
    if (!parsed.success) return;
    const from = { id: sender.identity, isHost: isHostParticipant(sender) };
    const m = parsed.data;
    if (
      sender.identity === store.getState().policy?.sharerId &&
      (m.t === 'permission' || ('snapshot' in m && m.snapshot))
    )
      stopAsking();
    const { state, reply } = receiveAnnotation(store.getState(), parsed.data, from, assembler);
    store.setState(state);
    if (reply === 'snapshot' && state.policy !== null) {
      const { allowed, version } = state.policy;
      const permission: annotations.AnnotationMessage[] = version > 0 ? [{ t: 'permission', allowed, version }] : [];
      publish([...permission, ...annotations.snapshot(state.scene)], [sender.identity]);
    }
  });
  const offPointers = onTopic(room, channel.pointerTopic, (json, sender) => {
    const parsed = annotations.PointerMessageSchema.safeParse(json);
    if (parsed.success) store.setState((s) => receivePointer(s, parsed.data, sender.identity));
  });

  const actions: AnnotationActions = {
    setTool(tool) {
      store.setState({ tool });
    },
    draw(draft) {
      const state = store.getState();
      if (!canDraw(state)) return;
      // Several parts of one drawing are one action: one undo takes them all back.
      const records: annotations.AnnotationElement[] = [];
      for (const part of channel.split?.(draft) ?? [draft]) {
        const scene = annotations.reconcile(state.scene, records);
        records.push(annotations.createElement(scene, part, crypto.randomUUID(), { authorId: state.selfId }));
      }
      commit(records);
    },
    erase(ids) {
      const state = store.getState();
      const allowed = ids.filter((id) => {
        const element = state.scene.get(id);
        return element !== undefined && canErase(state, element);
      });
      commit(annotations.erase(state.scene, allowed));
    },
    undo() {
      const { history, scene } = store.getState();
      const step = annotations.undo(history, scene);
      commit(step.elements, step.history);
    },
    redo() {
      const { history, scene } = store.getState();
      const step = annotations.redo(history, scene);
      commit(step.elements, step.history);
    },
    clearMine() {
      const { scene, selfId } = store.getState();
      commit(annotations.clearMine(scene, selfId));
    },
    clearAll() {
      const state = store.getState();
      if (isModerator(state)) commit(annotations.clearAll(state.scene));
    },
    setAllowed(allowed) {
      const { policy, selfId } = store.getState();
      if (policy === null || policy.sharerId !== selfId) return;
      const next = annotations.setAllowed(policy, allowed);
      store.setState({ policy: next });
      publish([{ t: 'permission', allowed: next.allowed, version: next.version }]);
    },
    point(at) {
      const now = performance.now();
      if (at !== null && now - lastPointerAt < POINTER_INTERVAL_MS) return;
      lastPointerAt = now;
      const state = store.getState();
      const seq = ++pointerSeq;
      const message: annotations.PointerMessage =
        at === null ? { t: 'pointer-hidden', seq } : { t: 'pointer', seq, at, color: colorOf(state) };
      // A lost pointer is replaced by the next one: failures are not worth reporting.
      publishJson(room, channel.pointerTopic, message).catch(() => undefined);
    },
  };

  return {
    actions,
    setSharer(sharerId) {
      const before = store.getState();
      const after = shareChanged(before, sharerId);
      if (after === before) return;
      store.setState(after);
      stopAsking();
      // Someone else's share may already carry drawings: ask its sharer for them.
      if (sharerId !== null && sharerId !== after.selfId) askForSnapshot(sharerId);
    },
    detach() {
      stopAsking();
      offAnnotations();
      offPointers();
    },
  };
}

const colorOf = (state: AnnotationState): string => authorColor(state.selfId);
