import type { JoinChoices } from '../store/appStore.ts';
import type { DevicePreferences } from './roomOptions.ts';

/** What the holder needs of a local track (livekit-client's `LocalVideoTrack` and `LocalAudioTrack`). */
export type StoppableTrack = { stop(): void };

/** How a camera and a microphone open (getUserMedia through livekit-client in the app). */
export type TrackOpeners<V, A> = {
  readonly camera: (devices: DevicePreferences) => Promise<V>;
  readonly microphone: (devices: DevicePreferences) => Promise<A>;
};

/** One device as the preview shows it: turned off, opening, live, or why it could not open. */
export type PreviewTrack<T> =
  | { readonly status: 'off' }
  | { readonly status: 'starting' }
  | { readonly status: 'live'; readonly track: T }
  | { readonly status: 'failed'; readonly error: unknown };

export type PreviewState<V, A> = { readonly camera: PreviewTrack<V>; readonly microphone: PreviewTrack<A> };

/**
 * What the call gets: the tracks the preview opened (still opening, perhaps), each `undefined`
 * once settled if it could not open. From here on they are the call's to publish and to stop.
 */
export type HandedTracks<V, A> = {
  readonly camera: Promise<V | undefined> | undefined;
  readonly microphone: Promise<A | undefined> | undefined;
  /**
   * The call did not start with them after all (React's development double start, or left while
   * connecting): they are the preview's again, as they were, and stop with it; if the preview
   * opened others meanwhile, these stop now.
   */
  giveBack(): void;
};

export type PreviewMedia<V extends StoppableTrack, A extends StoppableTrack> = ReturnType<
  typeof createPreviewMedia<V, A>
>;

type Kind = 'camera' | 'microphone';

type Slot<T> = {
  enabled: boolean;
  /** The track this holder opened and still owns, and the devices it was opened for. */
  opened: { readonly key: string; readonly track: Promise<T> } | undefined;
  state: PreviewTrack<T>;
};

const deviceKey: Record<Kind, (devices: DevicePreferences) => string> = {
  camera: (d) => `${d.videoDeviceId ?? ''}|${d.quality}`,
  microphone: (d) => d.audioDeviceId ?? '',
};

const stopAll = (handed: Pick<HandedTracks<StoppableTrack, StoppableTrack>, 'camera' | 'microphone'>): void => {
  void handed.camera?.then((t) => t?.stop());
  void handed.microphone?.then((t) => t?.stop());
};

const stopWhenOpen = <T extends StoppableTrack>(track: Promise<T>): void =>
  void track.then(
    (t) => t.stop(),
    () => undefined,
  );

/**
 * The camera and microphone one sees and hears before a call (pre-join, a guest's name form, the
 * lobby), held from the composition root so that they outlive those screens: the call publishes
 * these very tracks (`handOver`) instead of opening the devices a second time, and the tracks are
 * stopped (`release`) when the person goes anywhere else. A track is always either this holder's
 * (stopped by it) or the call's, never both and never neither: a track that opens after it was
 * let go is stopped on arrival.
 */
export function createPreviewMedia<V extends StoppableTrack, A extends StoppableTrack>(open: TrackOpeners<V, A>) {
  const listeners = new Set<() => void>();
  let devices: DevicePreferences | undefined;
  let camera: Slot<V> = freshSlot();
  let microphone: Slot<A> = freshSlot();
  let snapshot: PreviewState<V, A> = { camera: camera.state, microphone: microphone.state };

  function freshSlot<T>(): Slot<T> {
    return { enabled: true, opened: undefined, state: { status: 'starting' } };
  }

  function changed(): void {
    snapshot = { camera: camera.state, microphone: microphone.state };
    for (const listener of listeners) listener();
  }

  function setState<T>(slot: Slot<T>, state: PreviewTrack<T>): void {
    slot.state = state;
    changed();
  }

  /** Opens the slot's device for `to` unless what it holds was opened for the same devices. */
  function follow<T extends StoppableTrack>(
    slot: Slot<T>,
    kind: Kind,
    openTrack: (d: DevicePreferences) => Promise<T>,
    to: DevicePreferences,
  ): void {
    const key = deviceKey[kind](to);
    if (!slot.enabled || slot.opened?.key === key) return;
    if (slot.opened !== undefined) stopWhenOpen(slot.opened.track);
    const opened = { key, track: openTrack(to) };
    slot.opened = opened;
    setState(slot, { status: 'starting' });
    opened.track.then(
      (track) => slot.opened === opened && setState(slot, { status: 'live', track }),
      (error: unknown) => slot.opened === opened && setState(slot, { status: 'failed', error }),
    );
  }

  function turn<T extends StoppableTrack>(slot: Slot<T>, on: boolean): void {
    if (slot.enabled === on) return;
    slot.enabled = on;
    if (on) {
      setState(slot, { status: 'starting' });
      followAll();
      return;
    }
    if (slot.opened !== undefined) stopWhenOpen(slot.opened.track);
    slot.opened = undefined;
    setState(slot, { status: 'off' });
  }

  function followAll(): void {
    if (devices === undefined) return;
    follow(camera, 'camera', open.camera, devices);
    follow(microphone, 'microphone', open.microphone, devices);
  }

  function letGo(): HandedTracks<V, A> {
    const before = { devices, camera, microphone };
    const handed = {
      camera: camera.opened?.track.catch(() => undefined),
      microphone: microphone.opened?.track.catch(() => undefined),
    };
    devices = undefined;
    camera = freshSlot();
    microphone = freshSlot();
    changed();
    let given = false;
    const giveBack = (): void => {
      if (given) return;
      given = true;
      if (camera.opened !== undefined || microphone.opened !== undefined) {
        stopAll(handed);
        return;
      }
      ({ devices, camera, microphone } = before);
      changed();
    };
    return { ...handed, giveBack };
  }

  return {
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot(): PreviewState<V, A> {
      return snapshot;
    },

    /** A preview is on screen with these devices: what is turned on opens (again, if the devices changed). */
    show(to: DevicePreferences): void {
      devices = to;
      followAll();
    },

    /** Turns the camera or microphone on or off; off stops its track, and the call starts with it off. */
    setEnabled(kind: Kind, on: boolean): void {
      if (kind === 'camera') turn(camera, on);
      else turn(microphone, on);
    },

    /** What the call starts with: what is turned on now. */
    choices(): JoinChoices {
      return { audioEnabled: microphone.enabled, videoEnabled: camera.enabled };
    },

    /** The call takes the tracks: they are its own from now on; the next preview starts afresh. */
    handOver(): HandedTracks<V, A> {
      return letGo();
    },

    /** Nobody joins with these (cancelled, denied, gone elsewhere): they stop, the devices' lights go out. */
    release(): void {
      stopAll(letGo());
    },
  };
}
