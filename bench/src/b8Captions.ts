import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {
  AudioFrame,
  AudioSource,
  dispose,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { ensureSpeech, speak, speechSidecar } from '@tandem/devstack';
import { CAPTIONS_TOPIC, CaptionMessageSchema, type JoinResult, type Meeting } from '@tandem/shared';
import type { Benchmark } from './benchmark.ts';
import { call, createOrganisation } from './orgClient.ts';
import { startBenchServer } from './serverProcess.ts';
import { summarise } from './stats.ts';

const SENTENCES = [
  'Please send the budget report to the finance team by Friday.',
  'The new office opens in March next year.',
  'Grace will review the design before the launch.',
  'We agreed to move the release to the second week of June.',
  'Can someone book a room for the workshop on Tuesday?',
];
/** A text's words, lower case, for telling which sentence a caption is of. */
const wordsOf = (text: string): ReadonlySet<string> => new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
const ROUNDS = Number(process.env['B8_ROUNDS'] ?? 3);
const RATE = 48_000;
const FRAME = 480;
const PAUSE_MS = 2000;

/** The sidecar alone, fed as fast as it takes: transcription time over the speech it transcribed. */
async function realTimeFactor(python: string, pcm48k: Int16Array): Promise<{ rtf: number; utterances: number }> {
  const child = spawn(python, [speechSidecar], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  let spoken = 0;
  let spent = 0;
  let utterances = 0;
  const done = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const ready = new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      const m = JSON.parse(line) as { type: string; start?: number; end?: number; transcribeMs?: number };
      if (m.type === 'ready') resolve();
      if (m.type === 'segment') {
        spoken += (m.end ?? 0) - (m.start ?? 0);
        spent += (m.transcribeMs ?? 0) / 1000;
        utterances += 1;
      }
    });
  });
  await ready;
  // 16 kHz for the sidecar: every third sample of the 48 kHz voice (espeak-ng has nothing above 8 kHz).
  const pcm16k = Int16Array.from({ length: Math.floor(pcm48k.length / 3) }, (_, i) => pcm48k[i * 3] ?? 0);
  for (let at = 0; at < pcm16k.length; at += 1600) {
    const chunk = pcm16k.subarray(at, at + 1600);
    const pcm = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('base64');
    child.stdin.write(`${JSON.stringify({ type: 'audio', stream: 'rtf', pcm })}\n`);
  }
  child.stdin.end(`${JSON.stringify({ type: 'flush', stream: 'rtf' })}\n`);
  await done;
  return { rtf: spent / spoken, utterances };
}

/**
 * B8 (captions part): caption latency and the speech model's real-time factor. A speaker in a
 * call (Node, @livekit/rtc-node, a 100 ms audio queue) says known sentences in real time with
 * pauses between them; a listener in the same call takes the captions off the data topic. Latency
 * is from the last sample of a sentence handed to LiveKit to its caption arriving (the screen's
 * paint is not in it). The real-time factor is the sidecar's own: transcription time over the
 * length of the speech, two CTranslate2 threads. Recorder CPU and notes time are not measured here.
 */
export const b8Captions: Benchmark = {
  id: 'B8',
  what: 'live captions: end of a spoken sentence to its caption; transcription real-time factor',
  goals: [
    { figure: 'latency.p50', below: 1200, unit: 'ms' },
    { figure: 'latency.p95', below: 2000, unit: 'ms' },
    { figure: 'rtf', below: 0.3, unit: 'x' },
  ],
  async run() {
    const python = ensureSpeech();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-b8-'));
    const sentences = SENTENCES.map((s, i) => speak([s], path.join(scratch, `s${i}.wav`), 0).pcm);
    const { rtf, utterances } = await realTimeFactor(python, speak(SENTENCES, path.join(scratch, 'all.wav')).pcm);
    const server = await startBenchServer({ TRANSCRIPTION: 'allowed', SPEECH_PYTHON: python });
    const rooms: Room[] = [];
    try {
      const { owner, members } = await createOrganisation(server.url, 2);
      const host = owner.tokens.accessToken;
      await call(server.url, 'PATCH', '/organisation/settings', host, { transcription: true });
      const meeting = await call<Meeting>(server.url, 'POST', '/meetings', host, { title: 'B8', settings: {} });
      const join = async (token: string) => {
        const joined = await call<JoinResult>(server.url, 'POST', `/meetings/${meeting.id}/join`, token, {});
        if (joined.status !== 'joined') throw new Error('did not join');
        const room = new Room();
        await room.connect(joined.livekit.url, joined.livekit.token, { autoSubscribe: false, dynacast: false });
        rooms.push(room);
        return room;
      };
      const listener = await join(members[1]?.accessToken ?? host);
      const arrived: { readonly at: number; readonly words: ReadonlySet<string> }[] = [];
      listener.on(RoomEvent.DataReceived, (payload, _p, _k, topic) => {
        if (topic !== CAPTIONS_TOPIC) return;
        // Interim captions come first; the latency measured is the stored caption's.
        const message = CaptionMessageSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
        if (message.type !== 'caption') return;
        arrived.push({ at: performance.now(), words: wordsOf(message.segment.text) });
      });
      const speaker = await join(host);
      const source = new AudioSource(RATE, 1, 100);
      await speaker.localParticipant?.publishTrack(
        LocalAudioTrack.createAudioTrack('mic', source),
        new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
      );
      const silence = new Int16Array(FRAME);
      const quiet = async (ms: number) => {
        for (let i = 0; i < ms / 10; i++) await source.captureFrame(new AudioFrame(silence, RATE, 1, FRAME));
      };
      await quiet(3000);
      const latencies: number[] = [];
      let missed = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, pcm] of sentences.entries()) {
          const before = arrived.length;
          const expected = wordsOf(SENTENCES[index] ?? '');
          for (let at = 0; at + FRAME <= pcm.length; at += FRAME) {
            await source.captureFrame(new AudioFrame(pcm.slice(at, at + FRAME), RATE, 1, FRAME));
          }
          const ended = performance.now();
          await quiet(PAUSE_MS);
          // This sentence's caption (half its words heard), not a late one of the sentence before.
          const first = arrived
            .slice(before)
            .find(({ words }) => [...expected].filter((w) => words.has(w)).length * 2 >= expected.size);
          if (first === undefined) missed += 1;
          else latencies.push(first.at - ended);
        }
      }
      const latency = summarise(latencies);
      return {
        params: { sentences: SENTENCES.length, rounds: ROUNDS, pauseMs: PAUSE_MS, model: 'tiny.en', threads: 2 },
        figures: {
          'latency.p50': latency.p50,
          'latency.p95': latency.p95,
          'latency.max': latency.max,
          'latency.n': latency.n,
          missed,
          rtf: Math.round(rtf * 1000) / 1000,
          rtfUtterances: utterances,
        },
      };
    } finally {
      for (const room of rooms) await room.disconnect().catch(() => undefined);
      await dispose();
      await server.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  },
};
