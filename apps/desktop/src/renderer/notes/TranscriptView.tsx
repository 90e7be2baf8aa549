import {
  containsQuery,
  markedSnippet,
  recordingAt,
  type Recording,
  type TranscriptExportFormat,
  type TranscriptSegment,
} from '@tandem/shared';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Snippet } from '../chat/Snippet.tsx';
import { useT } from '../i18n/useT.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { saveFile } from '../ui/saveFile.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import { useNotesController } from './notesController.ts';
import { clockOf } from './notesView.ts';
import { useRecordingPlayer } from './useRecordingPlayer.tsx';
import './notes.css';

/** One utterance: when in the meeting, who, what (its matches marked); a play button when a recording covers it. */
function Segment({
  segment,
  at,
  query,
  current,
  playable,
  onPlay,
}: {
  readonly segment: TranscriptSegment;
  readonly at: string;
  readonly query: string;
  readonly current: boolean;
  readonly playable: boolean;
  readonly onPlay: () => void;
}) {
  const t = useT();
  const row = useRef<HTMLLIElement>(null);
  // Opened at this moment (a search result): it is where the eye and the keyboard start.
  useEffect(() => {
    if (!current) return;
    row.current?.scrollIntoView({ block: 'center' });
    row.current?.focus();
  }, [current]);
  return (
    <li
      ref={row}
      className="transcript-segment"
      data-segment={segment.id}
      aria-current={current ? 'true' : undefined}
      tabIndex={current ? -1 : undefined}
    >
      <span className="notes-at">{at}</span>
      <span className="notes-speaker">{segment.speaker.name}</span>
      <span className="transcript-text">
        {query === '' ? segment.text : <Snippet snippet={markedSnippet(segment.text, query, Infinity)} />}
      </span>
      {playable ? (
        <button
          type="button"
          className="button transcript-play"
          aria-label={t('transcript.play', { at, name: segment.speaker.name })}
          onClick={onPlay}
        >
          {t('transcript.playShort')}
        </button>
      ) : null}
    </li>
  );
}

/**
 * A meeting's transcript: every utterance with its speaker and its moment in the meeting, search
 * within it, play the recording from a moment when one covers it, export as text or WebVTT. The
 * desktop keeps each transcript it reads, so this opens offline too (from this device's copy).
 */
export function TranscriptView({
  meetingId,
  segmentId,
}: {
  readonly meetingId: string;
  readonly segmentId?: string | undefined;
}) {
  const t = useT();
  const notes = useNotesController();
  const load = useCallback(() => notes.transcript(meetingId), [notes, meetingId]);
  const [loaded, reload] = useLoad(load);
  const [recordings, setRecordings] = useState<readonly Recording[]>([]);
  const [query, setQuery] = useState('');
  const searchId = useId();
  // Without the server there is nothing to play: the transcript still reads.
  useEffect(() => {
    notes.recordings(meetingId).then(setRecordings, () => setRecordings([]));
  }, [notes, meetingId]);
  const [exportAs, exporting] = useAsyncAction(async (format: TranscriptExportFormat) => {
    saveFile(await notes.exportTranscript(meetingId, format));
  });

  const value = loaded.status === 'ready' ? loaded.value : null;
  const player = useRecordingPlayer(meetingId, value?.meetingTitle ?? '');
  const segments = value?.segments ?? [];
  const start = segments.length === 0 ? 0 : Date.parse(segments[0]?.startedAt ?? '');
  const words = query.trim();
  const shown = words === '' ? segments : segments.filter((s) => containsQuery(s.text, words));

  const play = (segment: TranscriptSegment, at: string) => {
    const moment = recordingAt(recordings, Date.parse(segment.startedAt));
    if (moment !== null) player.play(moment, at);
  };

  return (
    <main className="transcript-screen" aria-labelledby="transcript-title">
      <h1 id="transcript-title">
        {value === null ? t('transcript.title') : t('transcript.titleOf', { title: value.meetingTitle })}
      </h1>
      <LoadState loaded={loaded} what={t('transcript.what')} onRetry={() => void reload()} />
      {value === null ? null : (
        <>
          {value.source === 'device' ? <p className="hint">{t('transcript.offline')}</p> : null}
          <div className="row transcript-tools">
            <form role="search" onSubmit={(e) => e.preventDefault()}>
              <label htmlFor={searchId}>{t('transcript.search')}</label>{' '}
              <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
            </form>
            <button
              type="button"
              className="button"
              disabled={exporting.busy || segments.length === 0}
              onClick={() => void exportAs('txt')}
            >
              {t('transcript.export.txt')}
            </button>
            <button
              type="button"
              className="button"
              disabled={exporting.busy || segments.length === 0}
              onClick={() => void exportAs('vtt')}
            >
              {t('transcript.export.vtt')}
            </button>
          </div>
          {exporting.error === undefined ? null : (
            <p className="error" role="alert">
              {t('transcript.export.failed', { reason: exporting.error })}
            </p>
          )}
          {player.problem === undefined ? null : (
            <p className="error" role="alert">
              {player.problem}
            </p>
          )}
          {player.video}
          <p role="status" className="hint">
            {segments.length === 0
              ? t('transcript.empty')
              : t('transcript.count', { shown: shown.length, total: segments.length, filtered: words !== '' })}
          </p>
          <ol className="transcript" aria-label={t('transcript.segments')}>
            {shown.map((segment) => {
              const at = clockOf(Date.parse(segment.startedAt) - start);
              return (
                <Segment
                  key={segment.id}
                  segment={segment}
                  at={at}
                  query={words}
                  current={segment.id === segmentId}
                  playable={recordingAt(recordings, Date.parse(segment.startedAt)) !== null}
                  onPlay={() => play(segment, at)}
                />
              );
            })}
          </ol>
        </>
      )}
    </main>
  );
}
