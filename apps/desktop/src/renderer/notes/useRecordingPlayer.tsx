import { useEffect, useRef, useState, type ReactElement } from 'react';
import { useT } from '../i18n/useT.ts';
import { errorText } from '../ui/errorText.ts';
import { useNotesController } from './notesController.ts';

/** The recording playing from a moment. */
type Playing = { readonly url: string; readonly at: string };

/**
 * Plays one of a meeting's recordings from a moment (the notes' evidence, a transcript's line):
 * `play` fetches a short-lived link, `video` is the player to place (focused when it starts), and
 * `problem` says why a link could not be had.
 */
export function useRecordingPlayer(
  meetingId: string,
  title: string,
): {
  play(recording: { readonly id: string; readonly offsetMs: number }, at: string): void;
  readonly video: ReactElement | null;
  readonly problem: string | undefined;
} {
  const t = useT();
  const notes = useNotesController();
  const [playing, setPlaying] = useState<Playing | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const player = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (playing !== null) player.current?.focus();
  }, [playing]);

  const play = (recording: { readonly id: string; readonly offsetMs: number }, at: string): void => {
    notes.recordingLink(meetingId, recording.id).then(
      // A media fragment starts the player at the moment; it seeks with Range requests.
      (link) => {
        setProblem(undefined);
        setPlaying({ url: `${link.url}#t=${(recording.offsetMs / 1000).toFixed(1)}`, at });
      },
      (error: unknown) => setProblem(t('decisions.playFailed', { reason: errorText(error, t) })),
    );
  };
  const video =
    playing === null ? null : (
      <video
        ref={player}
        className="notes-player"
        src={playing.url}
        controls
        autoPlay
        preload="metadata"
        aria-label={t('notes.player', { title, at: playing.at })}
      />
    );
  return { play, video, problem };
}
