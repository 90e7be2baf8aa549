import type { Meeting, Recording, RecordingLink, RecordingList } from '@tandem/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { BridgeError } from '../client.ts';
import { useClient } from '../ClientContext.ts';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { Modal } from '../ui/Modal.tsx';
import { unavailableText } from './recordingState.ts';
import './recording.css';
import { useT } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { useIntl } from 'react-intl';
import type { Translate } from '../i18n/useT.ts';

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'ready'; readonly list: RecordingList };

const STATUS_TEXT: Readonly<Record<Recording['status'], MessageId>> = {
  starting: 'recording.status.starting',
  recording: 'recording.status.recording',
  stopping: 'recording.status.stopping',
  ready: 'recording.status.ready',
  failed: 'recording.status.failed',
};

function duration(ms: number, t: Translate): string {
  const seconds = Math.round(ms / 1000);
  return t('recording.duration', {
    total: seconds,
    minutes: Math.floor(seconds / 60),
    seconds: String(seconds % 60).padStart(2, '0'),
  });
}

/** Why the list could not be read, in words: one who has not joined the meeting sees no recordings. */
function loadError(e: unknown, t: Translate): string {
  if (e instanceof BridgeError && e.code === 'forbidden') return t('recording.list.notJoined');
  return t('recording.list.failed', { reason: errorText(e, t) });
}

/**
 * A meeting's recordings, newest first: each plays in the dialog (the server's short-lived link,
 * which a `<video>` seeks in with Range requests) and downloads; a failed one says why and keeps
 * its partial file; the meeting's hosts may delete finished ones.
 */
export function RecordingsDialog({ meeting, onClose }: { readonly meeting: Meeting; readonly onClose: () => void }) {
  const t = useT();
  const intl = useIntl();
  const when = (iso: string) => intl.formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });
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
      (e: unknown) => setLoaded({ status: 'error', message: loadError(e, t) }),
    );
  }, [client, meeting.id, t]);
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
      (e: unknown) => setProblem(t('decisions.playFailed', { reason: errorText(e, t) })),
    );
  const download = (r: Recording) =>
    client
      .recordingsDownload({ meetingId: meeting.id, recordingId: r.id })
      .catch((e: unknown) => setProblem(t('recording.downloadFailed', { reason: errorText(e, t) })));
  const remove = (r: Recording) =>
    client.recordingsDelete({ params: { ...params, recordingId: r.id }, body: {} }).then(
      () => {
        if (playing?.id === r.id) setPlaying(null);
        setConfirming(null);
        load();
      },
      (e: unknown) => setProblem(t('recording.deleteFailed', { reason: errorText(e, t) })),
    );

  return (
    <Modal title={t('recording.list.title', { title: meeting.title })} onClose={onClose}>
      {problem === undefined ? null : (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {loaded.status === 'loading' ? (
        <p role="status">
          <span className="spinner" aria-hidden="true" /> {t('recording.list.loading')}
        </p>
      ) : loaded.status === 'error' ? (
        <p role="alert" className="error">
          {loaded.message}
        </p>
      ) : (
        <>
          {loaded.list.unavailable === null ? null : (
            <p className="hint">{unavailableText(loaded.list.unavailable, t)}</p>
          )}
          {playing === null ? null : (
            <video
              ref={player}
              className="recordings-player"
              src={playing.link.url}
              controls
              preload="metadata"
              aria-label={t('recording.player', { title: meeting.title })}
            />
          )}
          {loaded.list.recordings.length === 0 ? (
            <p className="empty">{t('recording.list.none')}</p>
          ) : (
            <ul className="recordings-list" aria-label={t('recording.recordings')}>
              {loaded.list.recordings.map((r) => {
                const hasFile = r.sizeBytes !== null && r.sizeBytes > 0;
                const finished = r.status === 'ready' || r.status === 'failed';
                const label = t('recording.label', { when: when(r.createdAt) });
                return (
                  <li key={r.id} className="card">
                    <p>
                      <strong>{when(r.createdAt)}</strong> · {t(STATUS_TEXT[r.status])}
                      {r.durationMs === null ? '' : ` · ${duration(r.durationMs, t)}`} ·{' '}
                      {t('recording.startedBy', { name: r.startedBy.name })}
                    </p>
                    {r.failure === null ? null : (
                      <p className="hint">{t('recording.why', { reason: r.failure, kept: hasFile })}</p>
                    )}
                    {r.expiresAt === null ? null : (
                      <p className="hint">{t('recording.keptUntil', { when: when(r.expiresAt) })}</p>
                    )}
                    <div className="row">
                      {hasFile ? (
                        <>
                          <button
                            type="button"
                            className="button"
                            aria-label={t('recording.play.named', { label })}
                            onClick={() => void play(r)}
                          >
                            {t('recording.play')}
                          </button>
                          <button
                            type="button"
                            className="button"
                            aria-label={t('recording.download.named', { label })}
                            onClick={() => void download(r)}
                          >
                            {t('chat.files.download')}
                          </button>
                        </>
                      ) : null}
                      {isHost && finished ? (
                        confirming === r.id ? (
                          <>
                            <button
                              type="button"
                              className="button button-danger"
                              aria-label={t('recording.delete.named', { label })}
                              onClick={() => void remove(r)}
                            >
                              {t('recording.delete')}
                            </button>
                            <button type="button" className="button" onClick={() => setConfirming(null)}>
                              {t('recording.keep')}
                            </button>
                          </>
                        ) : (
                          <button
                            type="button"
                            className="button"
                            aria-label={t('recording.delete.open.named', { label })}
                            onClick={() => setConfirming(r.id)}
                          >
                            {t('recording.delete.open')}
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
          {t('chat.close')}
        </button>
      </div>
    </Modal>
  );
}

/** Opens a meeting's recordings (the personal room's card on Home). */
export function RecordingsButton({ meeting }: { readonly meeting: Meeting }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={button} type="button" className="button" onClick={() => setOpen(true)}>
        {t('recording.recordings')}
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
