import { useTrackVolume } from '@livekit/components-react';
import type { LocalAudioTrack } from 'livekit-client';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DeviceSelect } from '../call/DeviceSelect.tsx';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { errorText } from '../ui/errorText.ts';
import { Icon } from '../ui/Icon.tsx';
import { noiseSuppression } from './effects.ts';
import { prepareNoiseSuppression } from './noiseSuppression.ts';
import { usePreviewMedia } from './PreviewMediaContext.ts';
import { devicePreferences } from './roomOptions.ts';
import { useMediaEffects } from './useMediaEffects.ts';

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

/**
 * One's own camera and microphone before a call (pre-join, a guest's name form, the lobby): the
 * live preview with its effects, the microphone's level, and the switches. The tracks are the
 * page's preview media (`PreviewMediaContext`), which the call takes over as they are.
 */
export function SelfPreview() {
  const t = useT();
  const media = usePreviewMedia();
  const state = useSyncExternalStore(media.subscribe, media.getSnapshot);
  const { cameraId, microphoneId, video2160p } = useAppStore(
    useShallow(({ settings }) => ({
      cameraId: settings.cameraId,
      microphoneId: settings.microphoneId,
      video2160p: settings.video2160p,
    })),
  );
  const prefs = useMemo(
    () => devicePreferences({ cameraId, microphoneId, video2160p }),
    [cameraId, microphoneId, video2160p],
  );
  useEffect(() => {
    media.show(prefs);
  }, [media, prefs]);
  const camera = state.camera.status === 'live' ? state.camera.track : undefined;
  const microphone = state.microphone.status === 'live' ? state.microphone.track : undefined;
  const videoElement = useRef<HTMLVideoElement>(null);

  // The preview shows the background and low light as the call will send them.
  const [effectsError, setEffectsError] = useState<string | undefined>();
  useMediaEffects({ video: camera, audio: undefined }, setEffectsError);
  // RNNoise is put on the microphone once the call publishes it (it needs the call's audio
  // context); its weights load meanwhile.
  const suppression = useAppStore((s) => noiseSuppression(s.settings, s.managed).on);
  const hearing = microphone !== undefined;
  useEffect(() => {
    if (suppression && hearing) prepareNoiseSuppression();
  }, [suppression, hearing]);

  useEffect(() => {
    const element = videoElement.current;
    if (camera === undefined || element === null) return;
    camera.attach(element);
    return () => {
      camera.detach(element);
    };
  }, [camera]);

  const videoOn = state.camera.status !== 'off';
  const audioOn = state.microphone.status !== 'off';
  return (
    <div className="preview">
      {camera !== undefined ? (
        <video
          ref={videoElement}
          className="preview-video"
          data-preview=""
          data-source="camera"
          muted
          playsInline
          aria-label={t('meetings.prejoin.preview')}
        />
      ) : (
        <div className="preview-off" role="status">
          {state.camera.status === 'failed'
            ? t('meetings.prejoin.cameraFailed', { reason: errorText(state.camera.error) })
            : videoOn
              ? t('meetings.prejoin.cameraStarting')
              : t('meetings.prejoin.cameraOff')}
        </div>
      )}
      <div className="preview-controls">
        <button
          type="button"
          className="control"
          aria-pressed={!audioOn}
          onClick={() => media.setEnabled('microphone', !audioOn)}
        >
          <Icon name={audioOn ? 'mic' : 'micOff'} />
          <span className="control-label">{audioOn ? t('call.mute') : t('call.unmute')}</span>
        </button>
        <button
          type="button"
          className="control"
          aria-pressed={!videoOn}
          onClick={() => media.setEnabled('camera', !videoOn)}
        >
          <Icon name={videoOn ? 'camera' : 'cameraOff'} />
          <span className="control-label">{videoOn ? t('call.camera.stop') : t('call.camera.start')}</span>
        </button>
        {microphone === undefined ? null : <MicLevel track={microphone} />}
      </div>
      {state.microphone.status === 'failed' ? (
        <p className="error" role="alert">
          {t('meetings.prejoin.micFailed', { reason: errorText(state.microphone.error) })}
        </p>
      ) : null}
      {effectsError === undefined ? null : (
        <p className="error" role="alert">
          {effectsError}
        </p>
      )}
    </div>
  );
}

/** The camera and microphone pickers of a preview: the choice is the settings', so the call keeps it. */
export function PreviewDevices() {
  const controller = useController();
  const media = usePreviewMedia();
  const state = useSyncExternalStore(media.subscribe, media.getSnapshot);
  const cameraId = useAppStore((s) => s.settings.cameraId);
  const microphoneId = useAppStore((s) => s.settings.microphoneId);
  return (
    <>
      <DeviceSelect
        kind="videoinput"
        value={cameraId ?? undefined}
        requestPermissions={state.camera.status !== 'starting'}
        onChange={(id) => void controller.updateSettings({ cameraId: id })}
      />
      <DeviceSelect
        kind="audioinput"
        value={microphoneId ?? undefined}
        requestPermissions={state.microphone.status !== 'starting'}
        onChange={(id) => void controller.updateSettings({ microphoneId: id })}
      />
    </>
  );
}

/** The preview with its pickers, as a guest's name form and the lobby show it. */
export function PreviewWithDevices() {
  return (
    <div className="preview-panel">
      <SelfPreview />
      <PreviewDevices />
    </div>
  );
}
