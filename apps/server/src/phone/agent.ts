import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  type RemoteParticipant,
  type RemoteTrack,
} from '@livekit/rtc-node';
import { PROMPT_RATE, type PromptName, type Voice } from './prompts.ts';

/**
 * The phone agent: LiveKit media for one phone call, no rules. It joins the room livekit-sip put
 * the caller in (their own), speaks prompts, reads the keypad, and once the caller is let in,
 * relays audio between that room and the meeting's: the caller's voice is published in the
 * meeting under the caller's own token, and each voice of the meeting is published back into
 * the caller's room, where livekit-sip mixes what the phone hears.
 */

/** 10 ms at LiveKit's rate: the frame size sources take. */
const FRAME = PROMPT_RATE / 100;
/** Keypad tones after which a PIN is given up on: longer than any PIN. */
const MAX_DIGITS = 16;

async function* framesOf(track: RemoteTrack): AsyncGenerator<AudioFrame> {
  yield* new AudioStream(track, { sampleRate: PROMPT_RATE, numChannels: 1 });
}

/** Publishes `source` as a microphone track named `name` in `room`. */
async function publish(room: Room, name: string, source: AudioSource): Promise<string> {
  const track = LocalAudioTrack.createAudioTrack(name, source);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  const local = room.localParticipant;
  if (local === undefined) throw new Error('not connected');
  const published = await local.publishTrack(track, options);
  return published.sid ?? '';
}

/** Copies the frames of `track` into `source` until the track ends or `stopped()`. */
async function pump(track: RemoteTrack, source: AudioSource, stopped: () => boolean): Promise<void> {
  for await (const frame of framesOf(track)) {
    if (stopped()) return;
    await source.captureFrame(frame);
  }
}

export type AudioRelay = {
  /** Resolves when the meeting side is gone: the host removed the caller, or the meeting ended. */
  readonly ended: Promise<void>;
  close(): Promise<void>;
};

export type PhoneAgent = {
  /** The caller's number, as livekit-sip reports it. */
  readonly callerNumber: string;
  /** Resolves when the caller hung up. */
  readonly hungUp: Promise<void>;
  say(prompt: PromptName): Promise<void>;
  /** The digits typed before `#`, or null when the caller hung up first (or typed far too many). */
  readPin(): Promise<string | null>;
  /** Joins the meeting's room with the caller's token and relays audio both ways. */
  relayInto(wsUrl: string, token: string): Promise<AudioRelay>;
  close(): Promise<void>;
};

/**
 * Joins `room` (the caller's) as the phone agent and waits for the caller. Publishing the prompt
 * track is what makes livekit-sip answer the call: it answers once it has something to subscribe to.
 */
export async function joinCall(input: {
  readonly wsUrl: string;
  readonly token: string;
  readonly callerIdentity: string;
  readonly callerNumber: string;
  readonly voice: Voice;
}): Promise<PhoneAgent> {
  const room = new Room();
  const digits: string[] = [];
  let wake: (() => void) | undefined;
  let gone = false;
  let markGone: () => void = () => {};
  const hungUp = new Promise<void>((resolve) => {
    markGone = () => {
      gone = true;
      wake?.();
      resolve();
    };
  });
  let callerTrack: RemoteTrack | undefined;
  let trackArrived: (() => void) | undefined;
  room.on(RoomEvent.DtmfReceived, (_code: number, digit: string, participant: RemoteParticipant) => {
    if (participant.identity !== input.callerIdentity) return;
    digits.push(digit);
    wake?.();
  });
  room.on(RoomEvent.ParticipantDisconnected, (p: RemoteParticipant) => {
    if (p.identity === input.callerIdentity) markGone();
  });
  room.on(RoomEvent.Disconnected, () => markGone());
  room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, p: RemoteParticipant) => {
    if (p.identity !== input.callerIdentity || track.kind !== TrackKind.KIND_AUDIO) return;
    callerTrack = track;
    trackArrived?.();
  });
  await room.connect(input.wsUrl, input.token, { autoSubscribe: true, dynacast: false });
  const prompts = new AudioSource(PROMPT_RATE, 1);
  await publish(room, 'prompts', prompts);
  if (![...room.remoteParticipants.values()].some((p) => p.identity === input.callerIdentity)) {
    // The caller hung up before we came.
    markGone();
  }

  const nextDigit = async (): Promise<string | null> => {
    while (digits.length === 0 && !gone) await new Promise<void>((resolve) => (wake = resolve));
    return digits.shift() ?? null;
  };

  async function say(prompt: PromptName): Promise<void> {
    const samples = await input.voice(prompt);
    for (let at = 0; at + FRAME <= samples.length && !gone; at += FRAME) {
      await prompts.captureFrame(new AudioFrame(samples.slice(at, at + FRAME), PROMPT_RATE, 1, FRAME));
    }
    if (!gone) await prompts.waitForPlayout();
  }

  const callerAudio = async (): Promise<RemoteTrack> => {
    if (callerTrack !== undefined) return callerTrack;
    await new Promise<void>((resolve) => (trackArrived = resolve));
    if (callerTrack === undefined) throw new Error('the caller has no audio');
    return callerTrack;
  };

  return {
    callerNumber: input.callerNumber,
    hungUp,
    say,

    async readPin() {
      // Keys pressed while the prompt still played count: people type as soon as they know.
      let pin = '';
      for (;;) {
        const digit = await nextDigit();
        if (digit === null) return null;
        if (digit === '#') return pin;
        if (!/^\d$/.test(digit)) continue;
        pin += digit;
        if (pin.length > MAX_DIGITS) return pin;
      }
    },

    async relayInto(wsUrl, token) {
      const meeting = new Room();
      let closed = false;
      const stopped = (): boolean => closed || gone;
      const toMeeting = new AudioSource(PROMPT_RATE, 1);
      /** One track in the caller's room per voice of the meeting (livekit-sip mixes them for the phone). */
      const voices = new Map<string, { source: AudioSource; sid: string; stop: () => void }>();
      const ended = new Promise<void>((resolve) => meeting.on(RoomEvent.Disconnected, () => resolve()));
      meeting.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, pub) => {
        if (track.kind !== TrackKind.KIND_AUDIO) return;
        const key = pub.sid ?? '';
        const source = new AudioSource(PROMPT_RATE, 1);
        let done = false;
        const entry = { source, sid: '', stop: () => (done = true) };
        voices.set(key, entry);
        void publish(room, `meeting-${key}`, source)
          .then((sid) => {
            entry.sid = sid;
            return pump(track, source, () => done || stopped());
          })
          .catch(() => undefined);
      });
      meeting.on(RoomEvent.TrackUnsubscribed, (_track: RemoteTrack, pub) => {
        const entry = voices.get(pub.sid ?? '');
        if (entry === undefined) return;
        voices.delete(pub.sid ?? '');
        entry.stop();
        if (entry.sid !== '') void room.localParticipant?.unpublishTrack(entry.sid).catch(() => undefined);
      });
      await meeting.connect(wsUrl, token, { autoSubscribe: true, dynacast: false });
      await publish(meeting, 'phone', toMeeting);
      void callerAudio()
        .then((track) => pump(track, toMeeting, stopped))
        .catch(() => undefined);
      return {
        ended,
        async close() {
          closed = true;
          for (const v of voices.values()) v.stop();
          await meeting.disconnect();
        },
      };
    },

    async close() {
      markGone();
      trackArrived?.();
      await room.disconnect();
    },
  };
}
