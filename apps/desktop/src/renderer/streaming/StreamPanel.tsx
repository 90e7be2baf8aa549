import { StartStreamRequestSchema, type LiveStream, type StreamState } from '@tandem/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { useT, type Translate } from '../i18n/useT.ts';
import { errorText } from '../ui/errorText.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import './streaming.css';

const running = (stream: LiveStream | null | undefined): boolean =>
  stream?.status === 'starting' || stream?.status === 'live';

/** Where the stream stands, in words: its health while live, why when it failed. */
export function streamText(t: Translate, stream: LiveStream | null): string {
  if (stream === null) return t('stream.status.none');
  switch (stream.status) {
    case 'starting':
      return t('stream.status.starting');
    case 'live':
      return stream.bitrateKbps === null
        ? t('stream.status.live')
        : t('stream.status.liveHealth', {
            kbps: Math.round(stream.bitrateKbps),
            fps: Math.round(stream.fps ?? 0),
          });
    case 'stopped':
      return t('stream.status.stopped');
    case 'failed':
      return t('stream.status.failed', { reason: stream.failure ?? '' });
    default: {
      const never: never = stream.status;
      return never;
    }
  }
}

/**
 * The hosts' live stream controls in a call: the RTMP(S) destination and its stream key (a
 * secret: typed once, kept encrypted by the server, never shown again), Start and Stop, and the
 * stream's health as the server pushes it (`stream.changed`).
 */
export function StreamPanel({ meetingId }: { readonly meetingId: string }) {
  const t = useT();
  const client = useClient();
  const urlId = useId();
  const keyId = useId();
  const [state, setState] = useState<StreamState | undefined>();
  const [loadProblem, setLoadProblem] = useState<string | undefined>();
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  const params = { meetingId };

  const setStream = useCallback(
    (stream: LiveStream) =>
      setState((s) => ({
        unavailable: s?.unavailable ?? null,
        stream,
        destination: {
          url: stream.url,
          keySaved: s?.destination?.keySaved === true || stream.url === s?.destination?.url,
        },
      })),
    [],
  );

  useEffect(() => {
    const off = client.onMeetingLive((message) => {
      if (message.type === 'stream.changed' && message.stream.meetingId === meetingId) setStream(message.stream);
    });
    client.streamState({ params: { meetingId }, body: {} }).then(
      (s) => {
        setState(s);
        if (s.destination !== null) setUrl((u) => (u === '' ? (s.destination?.url ?? '') : u));
      },
      (e: unknown) => setLoadProblem(errorText(e)),
    );
    return off;
  }, [client, meetingId, setStream]);

  const keySaved = state?.destination?.keySaved === true && state.destination.url === url.trim();
  const [start, starting] = useAsyncAction(async () => {
    const request = StartStreamRequestSchema.safeParse({ url, ...(key.trim() === '' ? {} : { key }) });
    if (!request.success) throw new Error(t('stream.error.url'));
    if (request.data.key === undefined && !keySaved) throw new Error(t('stream.error.key'));
    setStream(await client.streamStart({ params, body: request.data }));
    setKey('');
  });
  const [stop, stopping] = useAsyncAction(async () => {
    setStream(await client.streamStop({ params, body: {} }));
  });
  const error = loadProblem ?? starting.error ?? stopping.error;
  const stream = state?.stream ?? null;
  const live = running(stream);

  return (
    <section className="stream-panel" aria-labelledby={`${urlId}-title`}>
      <h3 id={`${urlId}-title`}>{t('stream.title')}</h3>
      {state?.unavailable === 'e2ee' ? (
        <p>{t('stream.unavailable.e2ee')}</p>
      ) : (
        <>
          <p role="status" className={`stream-status stream-${stream?.status ?? 'none'}`}>
            {state === undefined ? t('stream.status.loading') : streamText(t, stream)}
          </p>
          {live ? null : (
            <form
              className="stream-form"
              onSubmit={(e) => {
                e.preventDefault();
                void start();
              }}
            >
              <div className="field">
                <label htmlFor={urlId}>{t('stream.url')}</label>
                <input
                  id={urlId}
                  type="url"
                  value={url}
                  placeholder={t('stream.url.example')}
                  autoComplete="off"
                  onChange={(e) => setUrl(e.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={keyId}>{t('stream.key')}</label>
                <input
                  id={keyId}
                  type="password"
                  value={key}
                  autoComplete="off"
                  aria-describedby={`${keyId}-hint`}
                  onChange={(e) => setKey(e.target.value)}
                />
                <p id={`${keyId}-hint`} className="hint">
                  {keySaved ? t('stream.key.saved') : t('stream.key.hint')}
                </p>
              </div>
              <button type="submit" className="button" disabled={starting.busy || url.trim() === ''}>
                {starting.busy ? t('stream.starting') : t('stream.start')}
              </button>
            </form>
          )}
          {live ? (
            <div className="collab-actions">
              <button type="button" className="button" disabled={stopping.busy} onClick={() => void stop()}>
                {stopping.busy ? t('stream.stopping') : t('stream.stop')}
              </button>
            </div>
          ) : null}
        </>
      )}
      {error === undefined ? null : (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
