/**
 * The transcriber process: one meeting, started and supervised by the coordination server
 * (supervisor.ts forks this file with an IPC channel). It joins the call as a hidden,
 * subscribe-only participant, opens one 16 kHz mono AudioStream per microphone track and hands
 * the PCM to the server in 100 ms chunks, naming each track's participant; the server's speech
 * sidecar does the rest. It leaves on `stop`, when the server goes away, or once nobody else has
 * been in the call for the job's `aloneSeconds`.
 */
import {
  AudioStream,
  dispose,
  Room,
  RoomEvent,
  TrackKind,
  TrackSource,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
} from '@livekit/rtc-node';
import { TranscriberCommandSchema, type TranscriberJob, type TranscriberReport } from '@tandem/shared';

const RATE = 16_000;
/** Samples per chunk sent to the server (100 ms). */
const CHUNK = RATE / 10;

const room = new Room();
let leaving = false;

function report(r: TranscriberReport): void {
  if (process.send !== undefined && process.connected) process.send(r);
}

async function leave(code: number): Promise<never> {
  if (!leaving) {
    leaving = true;
    await room.disconnect().catch(() => undefined);
    await dispose().catch(() => undefined);
  }
  if (process.connected) process.disconnect();
  process.exit(code);
}

/** Pumps one microphone's audio to the server until the track goes. */
async function listen(track: RemoteTrack, publication: RemoteTrackPublication, who: RemoteParticipant): Promise<void> {
  const stream = publication.sid ?? `${who.identity}-${Date.now()}`;
  report({ type: 'track', stream, speaker: { identity: who.identity, name: who.name ?? who.identity } });
  const pending = new Int16Array(CHUNK);
  let filled = 0;
  let firstAt = 0;
  for await (const frame of new AudioStream(track, { sampleRate: RATE, numChannels: 1 })) {
    let offset = 0;
    while (offset < frame.data.length) {
      if (filled === 0) firstAt = Date.now() - Math.round(((frame.data.length - offset) / RATE) * 1000);
      const take = Math.min(CHUNK - filled, frame.data.length - offset);
      pending.set(frame.data.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === CHUNK) {
        const pcm = Buffer.from(pending.buffer, pending.byteOffset, pending.byteLength).toString('base64');
        report({ type: 'audio', stream, pcm, at: firstAt });
        filled = 0;
      }
    }
  }
  report({ type: 'ended', stream });
}

async function begin(job: TranscriberJob): Promise<void> {
  room.on(RoomEvent.TrackSubscribed, (track, publication, participant) => {
    if (track.kind !== TrackKind.KIND_AUDIO || publication.source !== TrackSource.SOURCE_MICROPHONE) return;
    listen(track, publication, participant).catch((e: unknown) => {
      process.stderr.write(`a microphone of ${participant.identity} failed: ${String(e)}\n`);
    });
  });
  room.on(RoomEvent.Disconnected, () => void leave(0));
  try {
    await room.connect(job.livekitUrl, job.token, { autoSubscribe: true, dynacast: false });
  } catch (e) {
    report({ type: 'failed', message: `the transcriber could not join the call: ${String(e)}` });
    return leave(1);
  }
  report({ type: 'joined' });
  let aloneSince = room.remoteParticipants.size === 0 ? Date.now() : null;
  setInterval(() => {
    if (room.remoteParticipants.size > 0) aloneSince = null;
    else aloneSince ??= Date.now();
    if (aloneSince !== null && Date.now() - aloneSince >= job.aloneSeconds * 1000) void leave(0);
  }, 1000);
}

process.on('message', (raw) => {
  const command = TranscriberCommandSchema.safeParse(raw);
  if (!command.success) return;
  if (command.data.type === 'start') void begin(command.data);
  else void leave(0);
});
process.on('disconnect', () => void leave(0));
process.on('SIGTERM', () => void leave(0));
