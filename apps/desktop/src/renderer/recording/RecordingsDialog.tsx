import type { Meeting, Recording, RecordingLink, RecordingList } from '@tandem/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { BridgeError } from '../client.ts';
import { useClient } from '../ClientContext.ts';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { Modal } from '../ui/Modal.tsx';
import { unavailableText } from './recordingState.ts';
import './recording.css';

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'ready'; readonly list: RecordingList };

const STATUS_TEXT: Readonly<Record<Recording['status'], string>> = {
  starting: 'Starting',
  recording: 'Recording now',
  stopping: 'Finishing the file',
  ready: 'Ready',
  failed: 'Failed',
};

function duration(ms: number | null): string {
  if (ms === null) return '';
  const seconds = Math.round(ms / 1000);
  const m = Math.floor(seconds / 60);
  return m === 0 ? `${seconds} s` : `${m} min ${String(seconds % 60).padStart(2, '0')} s`;
}

const when = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Why the list could not be read, in words: one who has not joined the meeting sees no recordings. */
function loadError(e: unknown): string {
  if (e instanceof BridgeError && e.code === 'forbidden')
    return 'You can see this meeting’s recordings once you have joined it.';
  return `Could not load the recordings: ${errorText(e)}`;
}

/**
 * A meeting's recordings, newest first: each plays in the dialog (the server's short-lived link,
 * which a `<video>` seeks in with Range requests) and downloads; a failed one says why and keeps
 * its partial file; the meeting's hosts may delete finished ones.
 */
export function RecordingsDialog({ meeting, onClose }: { readonly meeting: Meeting; readonly onClose: () => void }) {
  const client = useClient();
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  const isHost = me !== undefined && (meeting.ownerId === me.id || me.role === 'owner' || me.role === 'admin');
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [playing, setPlaying] = useState<{ readonly id: string; readonly link: RecordingLink } | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  /** The recording whose deletion waits for a second click. */
  const [confirming, setConfirming] = useState<string | null>(null);
  const player = useRef<HTMLVideoElement>(null);
  const params = { meetingId: meeting.id };

  const load = useCallback(() => {
    client.recordingsList({ params: { meetingId: meeting.id }, body: {} }).then(
      (list) => setLoaded({ status: 'ready', list }),
      (e: unknown) => setLoaded({ status: 'error', message: loadError(e) }),
    );
  }, [client, meeting.id]);
  useEffect(load, [load]);
  // A recording that finishes while the dialog is open shows up without a reload.
  useEffect(
    () =>
      client.onMeetingLive((message) => {
        if (message.type === 'recording.changed' && message.recording.meetingId === meeting.id) load();
      }),
    [client, meeting.id, load],
  );
  useEffect(() => {
    if (playing !== null) player.current?.focus();
  }, [playing]);

  const linkOf = (r: Recording) => client.recordingsLink({ params: { ...params, recordingId: r.id }, body: {} });
  const play = (r: Recording) =>
    linkOf(r).then(
      (link) => setPlaying({ id: r.id, link }),
      (e: unknown) => setProblem(`Could not play the recording: ${errorText(e)}`),
    );
  const download = (r: Recording) =>
    client
      .recordingsDownload({ meetingId: meeting.id, recordingId: r.id })
      .catch((e: unknown) => setProblem(`Could not download the recording: ${errorText(e)}`));
  const remove = (r: Recording) =>
    client.recordingsDelete({ params: { ...params, recordingId: r.id }, body: {} }).then(
      () => {
        if (playing?.id === r.id) setPlaying(null);
        setConfirming(null);
        load();
      },
      (e: unknown) => setProblem(`Could not delete the recording: ${errorText(e)}`),
    );

  return (
    <Modal title={`Recordings of ${meeting.title}`} onClose={onClose}>
      {problem === undefined ? null : (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {loaded.status === 'loading' ? (
        <p role="status">
          <span className="spinner" aria-hidden="true" /> Loading recordings…
        </p>
      ) : loaded.status === 'error' ? (
        <p role="alert" className="error">
          {loaded.message}
        </p>
      ) : (
        <>
          {loaded.list.unavailable === null ? null : <p className="hint">{unavailableText(loaded.list.unavailable)}</p>}
          {playing === null ? null : (
            <video
              ref={player}
              className="recordings-player"
              src={playing.link.url}
              controls
              preload="metadata"
              aria-label={`Recording of ${meeting.title}`}
            />
          )}
          {loaded.list.recordings.length === 0 ? (
            <p className="empty">No recordings of this meeting.</p>
          ) : (
            <ul className="recordings-list" aria-label="Recordings">
              {loaded.list.recordings.map((r) => {
                const hasFile = r.sizeBytes !== null && r.sizeBytes > 0;
                const finished = r.status === 'ready' || r.status === 'failed';
                const label = `recording of ${when(r.createdAt)}`;
                return (
                  <li key={r.id} className="card">
                    <p>
                      <strong>{when(r.createdAt)}</strong> · {STATUS_TEXT[r.status]}
                      {r.durationMs === null ? '' : ` · ${duration(r.durationMs)}`} · started by {r.startedBy.name}
                    </p>
                    {r.failure === null ? null : (
                      <p className="hint">
                        Why: {r.failure}.{hasFile ? ' The part recorded before it failed is kept.' : ''}
                      </p>
                    )}
                    {r.expiresAt === null ? null : <p className="hint">Kept until {when(r.expiresAt)}.</p>}
                    <div className="row">
                      {hasFile ? (
                        <>
                          <button
                            type="button"
                            className="button"
                            aria-label={`Play ${label}`}
                            onClick={() => void play(r)}
                          >
                            Play
                          </button>
                          <button
                            type="button"
                            className="button"
                            aria-label={`Download ${label}`}
                            onClick={() => void download(r)}
                          >
                            Download
                          </button>
                        </>
                      ) : null}
                      {isHost && finished ? (
                        confirming === r.id ? (
                          <>
                            <button
                              type="button"
                              className="button button-danger"
                              aria-label={`Delete ${label} for everyone`}
                              onClick={() => void remove(r)}
                            >
                              Delete for everyone
                            </button>
                            <button type="button" className="button" onClick={() => setConfirming(null)}>
                              Keep it
                            </button>
                          </>
                        ) : (
                          <button
                            type="button"
                            className="button"
                            aria-label={`Delete ${label}…`}
                            onClick={() => setConfirming(r.id)}
                          >
                            Delete…
                          </button>
                        )
                      ) : null}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
      <div className="row form-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}

/** Opens a meeting's recordings (the personal room's card on Home). */
export function RecordingsButton({ meeting }: { readonly meeting: Meeting }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={button} type="button" className="button" onClick={() => setOpen(true)}>
        Recordings
      </button>
      {open ? (
        <RecordingsDialog
          meeting={meeting}
          onClose={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}
