/**
 * The ring of something that wants the user now (an ask for an expert), played with Web Audio: two
 * tones like a phone's (440 + 480 Hz), two bursts then a pause, again until stopped. Made on the
 * fly, so there is no sound file to bundle, license or fetch.
 */

/** One burst: from `at` seconds after the ring started, for `seconds`. */
export type Burst = { readonly at: number; readonly seconds: number };

const RING_TONES_HZ: readonly number[] = [440, 480];
/** One cycle: two bursts of 0.4 s with 0.2 s between, then quiet until the next cycle. */
const CYCLE: readonly Burst[] = [
  { at: 0, seconds: 0.4 },
  { at: 0.6, seconds: 0.4 },
];
const RING_CYCLE_SECONDS = 3;
/** Quiet enough beside a call, loud enough to be heard across a room. */
const VOLUME = 0.12;

/** The bursts of the ring's first `seconds`. */
export function ringBursts(seconds: number): Burst[] {
  const bursts: Burst[] = [];
  for (let start = 0; start < seconds; start += RING_CYCLE_SECONDS)
    for (const b of CYCLE) if (start + b.at < seconds) bursts.push({ at: start + b.at, seconds: b.seconds });
  return bursts;
}

/** What the ring needs of Web Audio (an AudioContext in the app). */
export type RingAudio = Pick<AudioContext, 'currentTime' | 'destination' | 'createOscillator' | 'createGain' | 'close'>;

/**
 * Rings for at most `seconds` (the ask's time left) on `audio`; the answer stops it. Each burst's
 * tones start and stop on the audio clock, fading in and out over 20 ms so they do not click.
 */
export function ring(audio: RingAudio, seconds: number): () => void {
  const gain = audio.createGain();
  gain.gain.value = 0;
  gain.connect(audio.destination);
  const t0 = audio.currentTime;
  const bursts = ringBursts(seconds);
  for (const { at, seconds: length } of bursts) {
    const start = t0 + at;
    const end = start + length;
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(VOLUME, start + 0.02);
    gain.gain.setValueAtTime(VOLUME, end - 0.02);
    gain.gain.linearRampToValueAtTime(0, end);
  }
  const oscillators = RING_TONES_HZ.map((hz) => {
    const o = audio.createOscillator();
    o.frequency.value = hz;
    o.connect(gain);
    o.start(t0);
    o.stop(t0 + (bursts.at(-1)?.at ?? 0) + 0.4);
    return o;
  });
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const o of oscillators) o.disconnect();
    gain.disconnect();
    void audio.close().catch(() => undefined);
  };
}
