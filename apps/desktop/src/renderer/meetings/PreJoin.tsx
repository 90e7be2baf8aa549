import { useTrackVolume } from '@livekit/components-react';
import {
  createLocalAudioTrack,
  createLocalVideoTrack,
  type LocalAudioTrack,
  type LocalVideoTrack,
} from 'livekit-client';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { DeviceSelect } from '../call/DeviceSelect.tsx';
import { useT } from '../i18n/useT.ts';
import { EffectsPicker } from '../media/EffectsPicker.tsx';
import { captureResolution } from '../media/roomOptions.ts';
import { useMediaEffects } from '../media/useMediaEffects.ts';
import { RecordingNotice } from '../recording/RecordingNotice.tsx';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { Icon } from '../ui/Icon.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { errorText } from '../ui/errorText.ts';

type Preview<T> = { readonly track: T | undefined; readonly error: string | undefined };

/** A local preview track that follows the chosen device and stops when it is no longer shown. */
function usePreview<T extends LocalAudioTrack | LocalVideoTrack>(
  enabled: boolean,
  deviceId: string | null,
  create: (deviceId: string | undefined) => Promise<T>,
): Preview<T> {
  const [preview, setPreview] = useState<Preview<T>>({ track: undefined, error: undefined });
  useEffect(() => {
    if (!enabled) {
      setPreview({ track: undefined, error: undefined });
      return;
    }
    let current: T | undefined;
    let live = true;
    create(deviceId ?? undefined).then(
      (track) => {
        if (live) {
          current = track;
          setPreview({ track, error: undefined });
        } else track.stop();
      },
      (e: unknown) => live && setPreview({ track: undefined, error: errorText(e) }),
    );
    return () => {
      live = false;
      current?.stop();
    };
    // `create` is stable per kind; the device and the switch are what change the track.
  }, [enabled, deviceId]);
  return preview;
}

function MicLevel({ track }: { readonly track: LocalAudioTrack }) {
  const t = useT();
  const volume = useTrackVolume(track);
  return (
    <meter
      className="mic-level"
      aria-label={t('meetings.prejoin.micLevel')}
      min={0}
      max={1}
      low={0.02}
      value={Math.min(1, volume * 4)}
    />
  );
}

export function PreJoin({ codeOrLink, title }: { readonly codeOrLink: string; readonly title?: string }) {
  const controller = useController();
  const t = useT();
  const settings = useAppStore((s) => s.settings);
  const sessionName = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.name : ''));
  const navigate = useAppStore((s) => s.navigate);
  const [videoEnabled, setVideoEnabled] = useState(true);
  const [audioEnabled, setAudioEnabled] = useState(true);
  const [displayName, setDisplayName] = useState(settings.displayName ?? sessionName);
  const [join, joining] = useAsyncAction(controller.join);
  const nameId = useId();
  const videoElement = useRef<HTMLVideoElement>(null);

  const quality = settings.video2160p ? 'uhd' : 'hd';
  const video = usePreview(videoEnabled, settings.cameraId, (deviceId) =>
    createLocalVideoTrack({ resolution: captureResolution(quality), ...(deviceId === undefined ? {} : { deviceId }) }),
  );
  const audio = usePreview(audioEnabled, settings.microphoneId, (deviceId) =>
    createLocalAudioTrack(deviceId === undefined ? {} : { deviceId }),
  );

  // The preview shows the background and low light as the call will send them.
  const [effectsError, setEffectsError] = useState<string | undefined>();
  useMediaEffects({ video: video.track, audio: undefined }, setEffectsError);

  useEffect(() => {
    const element = videoElement.current;
    if (video.track === undefined || element === null) return;
    video.track.attach(element);
    return () => {
      video.track?.detach(element);
    };
  }, [video.track]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void join(codeOrLink, displayName, { audioEnabled, videoEnabled });
  };

  return (
    <main className="prejoin" aria-labelledby="prejoin-title">
      <h1 id="prejoin-title">{title ?? t('meetings.prejoin.title', { code: codeOrLink })}</h1>
      <RecordingNotice lookup={{ codeOrLink }} />
      <div className="prejoin-columns">
        <div className="preview">
          {videoEnabled && video.track !== undefined ? (
            <video
              ref={videoElement}
              className="preview-video"
              muted
              playsInline
              aria-label={t('meetings.prejoin.preview')}
            />
          ) : (
            <div className="preview-off" role="status">
              {video.error !== undefined
                ? t('meetings.prejoin.cameraFailed', { reason: video.error })
                : videoEnabled
                  ? t('meetings.prejoin.cameraStarting')
                  : t('meetings.prejoin.cameraOff')}
            </div>
          )}
          <div className="preview-controls">
            <button
              type="button"
              className="control"
              aria-pressed={!audioEnabled}
              onClick={() => setAudioEnabled((on) => !on)}
            >
              <Icon name={audioEnabled ? 'mic' : 'micOff'} />
              <span className="control-label">{audioEnabled ? t('call.mute') : t('call.unmute')}</span>
            </button>
            <button
              type="button"
              className="control"
              aria-pressed={!videoEnabled}
              onClick={() => setVideoEnabled((on) => !on)}
            >
              <Icon name={videoEnabled ? 'camera' : 'cameraOff'} />
              <span className="control-label">{videoEnabled ? t('call.camera.stop') : t('call.camera.start')}</span>
            </button>
            {audio.track === undefined ? null : <MicLevel track={audio.track} />}
          </div>
          {audio.error === undefined ? null : (
            <p className="error" role="alert">
              {t('meetings.prejoin.micFailed', { reason: audio.error })}
            </p>
          )}
          {effectsError === undefined ? null : (
            <p className="error" role="alert">
              {effectsError}
            </p>
          )}
          <section className="card prejoin-effects" aria-labelledby="prejoin-effects-title">
            <h2 id="prejoin-effects-title">{t('call.effects')}</h2>
            <EffectsPicker />
          </section>
        </div>
        <form className="card prejoin-form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={nameId}>{t('meetings.prejoin.name')}</label>
            <input
              id={nameId}
              value={displayName}
              maxLength={64}
              required
              aria-describedby={`${nameId}-hint`}
              onChange={(e) => setDisplayName(e.target.value)}
            />
            <p id={`${nameId}-hint`} className="hint">
              {t('meetings.prejoin.nameHint')}
            </p>
          </div>
          <DeviceSelect
            kind="videoinput"
            value={settings.cameraId ?? undefined}
            onChange={(cameraId) => void controller.updateSettings({ cameraId })}
          />
          <DeviceSelect
            kind="audioinput"
            value={settings.microphoneId ?? undefined}
            onChange={(microphoneId) => void controller.updateSettings({ microphoneId })}
          />
          <p className="hint">{t('meetings.prejoin.quality', { quality })}</p>
          {joining.error === undefined ? null : (
            <p className="error" role="alert">
              {t('meetings.prejoin.failed', { reason: joining.error })}
            </p>
          )}
          <div className="row">
            <button type="button" className="button" onClick={() => navigate({ name: 'home' })}>
              {t('ui.cancel')}
            </button>
            <button
              type="submit"
              className="button button-primary"
              disabled={joining.busy || displayName.trim() === ''}
            >
              {joining.busy ? t('meetings.prejoin.joining') : t('meetings.prejoin.join')}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
