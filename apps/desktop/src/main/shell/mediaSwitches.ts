/**
 * Chromium switches the app starts with for its calls (applied by index.ts before Electron is
 * ready; the benchmarks start the Chromium that stands for a desktop participant with the same).
 *
 * WebRTC's encoder answers a keyframe request at most once every 300 ms unless told otherwise
 * (`EncoderRtcpFeedback`, field trial `WebRTC-KeyframeInterval`). Someone who joins right after
 * another person joined or left (a meeting's start, a breakout's return) then waits for the end
 * of that window before the first frame of our camera: B1's back-to-back joins measured ≈ 380 ms
 * to first frame with it and ≈ 180 ms at 100 ms. livekit-server already limits how often it
 * forwards a layer's keyframe requests (`pli_throttle`, 100/200/300 ms in the devstack), so at
 * most a few more keyframes a second leave the encoder, and only while people join.
 */
export const KEYFRAME_MIN_INTERVAL_MS = 100;

export const MEDIA_SWITCHES: readonly (readonly [name: string, value: string])[] = [
  ['force-fieldtrials', `WebRTC-KeyframeInterval/min_keyframe_send_interval_ms:${KEYFRAME_MIN_INTERVAL_MS}/`],
];

/** The same switches as command-line arguments, for a Chromium started outside Electron. */
export function mediaSwitchArgs(): string[] {
  return MEDIA_SWITCHES.map(([name, value]) => `--${name}=${value}`);
}
