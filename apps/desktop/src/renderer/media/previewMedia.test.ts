import { describe, expect, it } from 'vitest';
import { createPreviewMedia } from './previewMedia.ts';
import type { DevicePreferences } from './roomOptions.ts';

/**
 * The hand-over's bookkeeping, with the devices themselves replaced: a unit test has no camera.
 * A track here is what the holder needs of one (a `stop`), opened when the test says so.
 */
type FakeTrack = {
  readonly kind: 'camera' | 'microphone';
  readonly opened: DevicePreferences;
  stopped: boolean;
  stop(): void;
};

function devices() {
  const opening: { readonly kind: FakeTrack['kind']; resolve(): FakeTrack; reject(e: Error): void }[] = [];
  const open = (kind: FakeTrack['kind']) => (prefs: DevicePreferences) =>
    new Promise<FakeTrack>((resolve, reject) => {
      opening.push({
        kind,
        resolve: () => {
          const track: FakeTrack = {
            kind,
            opened: prefs,
            stopped: false,
            stop() {
              track.stopped = true;
            },
          };
          resolve(track);
          return track;
        },
        reject,
      });
    });
  const media = createPreviewMedia({ camera: open('camera'), microphone: open('microphone') });
  /** Opens every device asked for so far, and waits for the holder to hear of it. */
  const openAll = async (): Promise<FakeTrack[]> => {
    const tracks = opening.splice(0).map((o) => o.resolve());
    await settled();
    return tracks;
  };
  return { media, opening, openAll };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
const HD: DevicePreferences = { quality: 'hd' };

describe('preview media (the tracks before a call, handed to it)', () => {
  it('opens nothing until a preview shows, then the camera and microphone with the chosen devices', async () => {
    const { media, opening, openAll } = devices();
    expect(opening).toHaveLength(0);
    media.show({ quality: 'hd', videoDeviceId: 'cam-2', audioDeviceId: 'mic-3' });
    expect(media.getSnapshot()).toEqual({ camera: { status: 'starting' }, microphone: { status: 'starting' } });
    const [camera, microphone] = await openAll();
    expect(camera?.opened).toEqual({ quality: 'hd', videoDeviceId: 'cam-2', audioDeviceId: 'mic-3' });
    expect(media.getSnapshot()).toEqual({
      camera: { status: 'live', track: camera },
      microphone: { status: 'live', track: microphone },
    });
    // Shown again with the same devices (another screen before the call, a re-render): nothing reopens.
    media.show({ quality: 'hd', videoDeviceId: 'cam-2', audioDeviceId: 'mic-3' });
    expect(opening).toHaveLength(0);
  });

  it('reopens only the device whose choice changed, and stops the one it replaces', async () => {
    const { media, opening, openAll } = devices();
    media.show(HD);
    const [camera, microphone] = await openAll();
    media.show({ quality: 'hd', videoDeviceId: 'cam-2' });
    expect(opening.map((o) => o.kind)).toEqual(['camera']);
    await settled();
    expect(camera?.stopped).toBe(true);
    expect(microphone?.stopped).toBe(false);
    const [next] = await openAll();
    expect(media.getSnapshot().camera).toEqual({ status: 'live', track: next });
  });

  it('turned off, a device stops and the call starts without it; turned on, it opens again', async () => {
    const { media, opening, openAll } = devices();
    media.show(HD);
    const [camera] = await openAll();
    media.setEnabled('camera', false);
    await settled();
    expect(camera?.stopped).toBe(true);
    expect(media.getSnapshot().camera).toEqual({ status: 'off' });
    expect(media.choices()).toEqual({ audioEnabled: true, videoEnabled: false });
    media.setEnabled('camera', true);
    expect(opening.map((o) => o.kind)).toEqual(['camera']);
    const [again] = await openAll();
    expect(media.getSnapshot().camera).toEqual({ status: 'live', track: again });
    expect(media.choices()).toEqual({ audioEnabled: true, videoEnabled: true });
  });

  it('hands a device turned off over as none', async () => {
    const { media, openAll } = devices();
    media.show(HD);
    await openAll();
    media.setEnabled('microphone', false);
    const handed = media.handOver();
    expect(handed.microphone).toBeUndefined();
    expect(await handed.camera).toBeDefined();
  });

  it('hands the very tracks over to the call without stopping them, and forgets them', async () => {
    const { media, opening, openAll } = devices();
    media.show(HD);
    const [camera, microphone] = await openAll();
    const handed = media.handOver();
    expect(await handed.camera).toBe(camera);
    expect(await handed.microphone).toBe(microphone);
    // The call owns them now: leaving the screens before it (release) does not touch them.
    media.release();
    await settled();
    expect([camera?.stopped, microphone?.stopped]).toEqual([false, false]);
    // The next preview starts afresh, on and with its own tracks.
    const none = media.handOver();
    expect([none.camera, none.microphone]).toEqual([undefined, undefined]);
    expect(media.choices()).toEqual({ audioEnabled: true, videoEnabled: true });
    media.show(HD);
    expect(opening).toHaveLength(2);
  });

  it('takes back tracks the call gave back before using them (a start over), unless it opened others meanwhile', async () => {
    const { media, opening, openAll } = devices();
    media.show(HD);
    const [camera, microphone] = await openAll();
    media.handOver().giveBack();
    expect(media.getSnapshot()).toEqual({
      camera: { status: 'live', track: camera },
      microphone: { status: 'live', track: microphone },
    });
    const again = media.handOver();
    expect(await again.camera).toBe(camera);
    expect(opening).toHaveLength(0);
    // A preview shown meanwhile opened its own: the ones given back have no screen left, and stop.
    media.show(HD);
    await openAll();
    again.giveBack();
    await settled();
    expect([camera?.stopped, microphone?.stopped]).toEqual([true, true]);
  });

  it('hands over a camera still opening: the call gets it once it is open, not stopped', async () => {
    const { media, openAll } = devices();
    media.show(HD);
    const handed = media.handOver();
    const [camera] = await openAll();
    expect(await handed.camera).toBe(camera);
    expect(camera?.stopped).toBe(false);
    // The holder no longer shows it.
    expect(media.getSnapshot().camera).toEqual({ status: 'starting' });
  });

  it('released (cancelled, denied, gone elsewhere), every track stops, one still opening as soon as it opens', async () => {
    const { media, opening, openAll } = devices();
    media.show(HD);
    const camera = opening.shift()?.resolve();
    await settled();
    media.release();
    const [microphone] = await openAll();
    expect(camera?.stopped).toBe(true);
    expect(microphone?.stopped).toBe(true);
    expect(media.getSnapshot()).toEqual({ camera: { status: 'starting' }, microphone: { status: 'starting' } });
  });

  it('a camera turned off while opening is stopped when it opens, and never shows', async () => {
    const { media, openAll } = devices();
    media.show(HD);
    media.setEnabled('camera', false);
    const [camera] = await openAll();
    expect(camera?.stopped).toBe(true);
    expect(media.getSnapshot().camera).toEqual({ status: 'off' });
  });

  it('a device that cannot open shows why, and the call is handed none (it tries on its own)', async () => {
    const { media, opening, openAll } = devices();
    media.show(HD);
    opening.shift()?.reject(new Error('NotAllowedError'));
    await openAll();
    expect(media.getSnapshot().camera).toEqual({ status: 'failed', error: new Error('NotAllowedError') });
    const handed = media.handOver();
    expect(await handed.camera).toBeUndefined();
    expect(await handed.microphone).toBeDefined();
  });

  it('tells its subscribers of every change, with a new snapshot each time', async () => {
    const { media, openAll } = devices();
    const seen: unknown[] = [];
    const unsubscribe = media.subscribe(() => seen.push(media.getSnapshot()));
    media.show(HD);
    await openAll();
    unsubscribe();
    media.setEnabled('camera', false);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.at(-1)).not.toBe(media.getSnapshot());
  });
});
