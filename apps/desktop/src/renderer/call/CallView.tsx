import {
  RoomAudioRenderer,
  RoomContext,
  useConnectionState,
  useLocalParticipant,
  useRoomContext,
} from '@livekit/components-react';
import type { CallDetails, Meeting } from '@tandem/shared';
import { ConnectionState, LocalAudioTrack, LocalVideoTrack, Room, RoomEvent } from 'livekit-client';
import { useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useClient } from '../ClientContext.ts';
import { useShortcutCommands } from './useShortcutCommands.ts';
import { usePushToTalk } from './usePushToTalk.ts';
import { useDeviceKeys } from '../e2ee/DeviceKeysContext.ts';
import { E2eeSessionContext } from '../e2ee/E2eeContext.ts';
import { E2eeLock } from '../e2ee/E2eeLock.tsx';
import { createE2eeSession, type E2eeSession } from '../e2ee/session.ts';
import { e2eeWorker } from '../e2ee/worker.ts';
import { devicePreferences, roomOptions } from '../media/roomOptions.ts';
import { useMediaEffects } from '../media/useMediaEffects.ts';
import { applyVideoEffects, cameraProcessor } from '../media/loadVideoEffects.ts';
import { usePreviewMedia } from '../media/PreviewMediaContext.ts';
import { AnnotationToolbar } from '../collab/annotations/AnnotationToolbar.tsx';
import { CollabPanelView, isCollabPanel } from '../collab/CollabPanels.tsx';
import { CaptionsOverlay } from '../captions/CaptionsOverlay.tsx';
import { CaptionsProvider } from '../captions/CaptionsContext.tsx';
import { CollabProviders } from '../collab/CollabProviders.tsx';
import { CallMoverContext, createCallRoom, type CallMover } from '../collab/moveRoom.ts';
import type { JoinChoices } from '../store/appStore.ts';
import { RecordingIndicator } from '../recording/RecordingIndicator.tsx';
import { useT } from '../i18n/useT.ts';
import { Banner } from '../ui/Banner.tsx';
import { Icon } from '../ui/Icon.tsx';
import { CallStoreContext, createCallStore, useCallUi } from './callStore.ts';
import { useSilentCameraWarning } from './cameraCheck.ts';
import { ControlBar } from './ControlBar.tsx';
import { ParticipantsPanel } from './ParticipantsPanel.tsx';
import { ScreenPicker } from './ScreenPicker.tsx';
import { disconnectMessage } from './disconnect.ts';
import type { ScreenCapture } from './screenShare.ts';
import { Stage } from './Stage.tsx';
import { useElementSize } from './useElementSize.ts';
import { useUnread } from './useUnread.ts';
import { useCallPanelRequest } from './useCallPanelRequest.ts';
import { errorText } from '../ui/errorText.ts';
import { usePresenting } from '../ui/useAttention.ts';
import { WebinarBanner } from '../webinar/WebinarBanner.tsx';
import { WebinarProvider } from '../webinar/WebinarContext.tsx';

/** Narrower than this, an open side panel lies over the stage instead of squeezing the video. */
const OVERLAY_PANEL_BELOW = 900;

type Phase =
  | { readonly status: 'connecting' }
  | {
      /**
       * LiveKit answered the join: who is in the room is known and the call's screen shows it,
       * while the media connection may still be made (the room's connection state says so).
       */
      readonly status: 'inRoom';
      /** The room the call is in now: a breakout move replaces it (collab/moveRoom.ts). */
      readonly room: Room;
      readonly e2ee: E2eeSession | undefined;
      readonly mover: CallMover;
    }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'ended'; readonly message: string };

/**
 * One call: owns the Room from connect to leave. Everything inside reads LiveKit state from the
 * Room through hooks; nothing about the call is copied into the app store.
 */
export function CallView({
  call,
  choices,
  capture,
  serverBanner,
  chat,
  decisions,
  onLeave,
}: {
  readonly call: CallDetails;
  readonly choices: JoinChoices;
  readonly capture: ScreenCapture;
  /** The app's own connection state (coordination server), shown beside LiveKit's. */
  readonly serverBanner: ReactNode;
  readonly chat: ReactNode;
  readonly decisions: ReactNode;
  readonly onLeave: () => void;
}) {
  const t = useT();
  const [phase, setPhase] = useState<Phase>({ status: 'connecting' });
  const [store] = useState(createCallStore);
  const { livekit, settings } = call;
  const { url: livekitUrl, token, identity } = livekit;
  // A webinar's attendee (and a view-only seat) publishes nothing: no camera, no microphone.
  const publishes = livekit.role !== 'viewer';
  const meetingId = call.meeting.id;
  const encrypted = call.meeting.settings.e2ee;
  const client = useClient();
  const deviceKeys = useDeviceKeys();
  const preview = usePreviewMedia();

  useEffect(() => {
    // An encrypted meeting's media is encrypted from the first frame: the key provider is given
    // now, filled once this device's key is registered and a participant has wrapped the meeting key for it.
    const e2ee = encrypted ? createE2eeSession({ client, deviceKeys, meetingId, self: identity }) : undefined;
    const worker = e2ee === undefined ? undefined : e2eeWorker();
    const makeRoom = () =>
      new Room(
        roomOptions(
          devicePreferences({
            video2160p: settings.video2160p,
            cameraId: settings.cameraId,
            microphoneId: settings.microphoneId,
          }),
          e2ee === undefined || worker === undefined ? undefined : { keyProvider: e2ee.keyProvider, worker },
        ),
      );
    // The camera and microphone of the screen before (pre-join, a guest's name form or lobby),
    // already open: published as they are, so the devices are not opened a second time.
    const handed = preview.handOver();
    /** The handed track if the call sends that device; stopped at once if it does not (a view-only seat). */
    const taken = async <T extends LocalAudioTrack | LocalVideoTrack>(
      track: Promise<T | undefined> | undefined,
      sends: boolean,
    ): Promise<T | undefined> => {
      const opened = await track;
      if (!sends) opened?.stop();
      return sends ? opened : undefined;
    };
    const room = makeRoom();
    const effects = {
      background: settings.background,
      ownBackground: settings.ownBackground,
      lowLight: settings.lowLight,
    };
    let left = false;
    /** From here on the call has the handed tracks (published, or stopped when it has no use for them). */
    let connected = false;
    let detach: (() => void) | undefined;
    const callRoom = createCallRoom(room, {
      makeRoom: () => {
        // Meeting keys are per call (docs/e2ee.md); the server opens no breakout rooms for an encrypted meeting.
        if (e2ee !== undefined) throw new Error('an end-to-end encrypted call does not change rooms');
        return makeRoom();
      },
      onSwap: (next) => setPhase((p) => (p.status === 'inRoom' ? { ...p, room: next } : p)),
      onEnded: (reason) => {
        if (!left) setPhase({ status: 'ended', message: disconnectMessage(reason) });
      },
    });
    const mover: CallMover = { move: (target) => callRoom.move(target) };
    (async () => {
      if (e2ee !== undefined) {
        await e2ee.prepare();
        await room.setE2EEEnabled(true);
      }
      // The call's screen as soon as LiveKit has answered the join, drawn while the media
      // connection is made: once it is (LiveKit hands the remote tracks over then), the tiles
      // take their video at once instead of waiting for the whole screen's first render (B7).
      const show = () => {
        if (!left) setPhase((p) => (p.status === 'inRoom' ? p : { status: 'inRoom', room, e2ee, mover }));
      };
      room.once(RoomEvent.SignalConnected, show);
      await room.connect(livekitUrl, token).finally(() => room.off(RoomEvent.SignalConnected, show));
      if (left) return;
      connected = true;
      detach = e2ee?.attach(room);
      show();
      // Media failures must not end the call: the user can retry from the controls.
      await Promise.allSettled([
        (async () => {
          const microphone = choices.audioEnabled && publishes;
          const track = await taken(handed.microphone, microphone);
          if (left) return;
          // Noise suppression follows once published (useMediaEffects): it runs in the room's audio context.
          if (track !== undefined) await room.localParticipant.publishTrack(track);
          else await room.localParticipant.setMicrophoneEnabled(microphone);
        })(),
        // With a background or low light chosen, the camera is published only once its processor
        // runs: the real background never goes out, not even for the first frames.
        (async () => {
          const camera = choices.videoEnabled && publishes;
          const track = await taken(handed.camera, camera);
          if (left) return;
          if (track !== undefined) {
            await applyVideoEffects(track, effects);
            if (!left) await room.localParticipant.publishTrack(track);
            return;
          }
          const processor = camera ? await cameraProcessor(effects) : undefined;
          await room.localParticipant.setCameraEnabled(camera, processor === undefined ? undefined : { processor });
        })(),
      ]);
    })().catch((e: unknown) => {
      if (!left) setPhase({ status: 'failed', message: errorText(e) });
    });
    return () => {
      left = true;
      detach?.();
      // Not connected yet, the tracks go back untouched: a start over (React's development double
      // start) takes them again; otherwise the screen after the call lets them go.
      if (!connected) handed.giveBack();
      void callRoom.leave().finally(() => {
        worker?.terminate();
        if (!connected) return;
        // Stopped with the room when published; stopped here if the call ended before that.
        void handed.camera?.then((track) => track?.stop());
        void handed.microphone?.then((track) => track?.stop());
      });
    };
  }, [
    preview,
    client,
    deviceKeys,
    encrypted,
    meetingId,
    identity,
    livekitUrl,
    token,
    settings.video2160p,
    settings.cameraId,
    settings.microphoneId,
    settings.background,
    settings.ownBackground,
    settings.lowLight,
    choices.audioEnabled,
    choices.videoEnabled,
    publishes,
  ]);

  return (
    <CallStoreContext.Provider value={store}>
      <main className="call" aria-label={t('call.label', { title: call.meeting.title })}>
        {phase.status === 'connecting' ? (
          <div className="call-center" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('call.joining', { title: call.meeting.title })}
          </div>
        ) : null}
        {phase.status === 'failed' || phase.status === 'ended' ? (
          <div className="call-center" role="alert">
            <p>{phase.status === 'failed' ? t('call.joinFailed', { reason: phase.message }) : phase.message}</p>
            <button type="button" className="button button-primary" onClick={onLeave}>
              {t('call.backHome')}
            </button>
          </div>
        ) : null}
        {phase.status === 'inRoom' ? (
          <RoomContext.Provider value={phase.room}>
            <CallMoverContext.Provider value={phase.mover}>
              <E2eeSessionContext.Provider value={phase.e2ee}>
                <InCall
                  meeting={call.meeting}
                  meetingId={call.meeting.id}
                  joinCode={call.meeting.joinCode}
                  title={call.meeting.title}
                  conversationId={call.meeting.conversationId}
                  capture={capture}
                  serverBanner={serverBanner}
                  chat={chat}
                  decisions={decisions}
                  onLeave={onLeave}
                />
              </E2eeSessionContext.Provider>
            </CallMoverContext.Provider>
          </RoomContext.Provider>
        ) : null}
      </main>
    </CallStoreContext.Provider>
  );
}

function InCall({
  meeting,
  meetingId,
  joinCode,
  title,
  conversationId,
  capture,
  serverBanner,
  chat,
  decisions,
  onLeave,
}: {
  /** The meeting as it was joined (a webinar's stage follows the server's news from there). */
  readonly meeting: Meeting;
  readonly meetingId: string;
  readonly joinCode: string;
  readonly title: string;
  readonly conversationId: string;
  readonly capture: ScreenCapture;
  readonly serverBanner: ReactNode;
  readonly chat: ReactNode;
  readonly decisions: ReactNode;
  readonly onLeave: () => void;
}) {
  const t = useT();
  const state = useConnectionState();
  const encrypted = useContext(E2eeSessionContext) !== undefined;
  const { isScreenShareEnabled, cameraTrack, microphoneTrack } = useLocalParticipant();
  usePresenting(isScreenShareEnabled);
  const panel = useCallUi((s) => s.panel);
  const pickerOpen = useCallUi((s) => s.screenPickerOpen);
  const unreadChat = useUnread(conversationId, panel === 'chat');
  useCallPanelRequest();
  const [mediaError, setMediaError] = useState<string | undefined>();
  useSilentCameraWarning(setMediaError);
  useShortcutCommands(setMediaError);
  usePushToTalk(setMediaError);
  useMediaEffects(
    {
      video: cameraTrack?.track instanceof LocalVideoTrack ? cameraTrack.track : undefined,
      audio: microphoneTrack?.track instanceof LocalAudioTrack ? microphoneTrack.track : undefined,
    },
    setMediaError,
  );
  const reconnecting = state === ConnectionState.Reconnecting || state === ConnectionState.SignalReconnecting;

  return (
    <CollabProviders
      meetingId={meetingId}
      title={title}
      encrypted={encrypted}
      joinCode={joinCode}
      onError={setMediaError}
    >
      <WebinarProvider meeting={meeting} onError={setMediaError}>
        <header className="call-header">
          <h1 className="call-title">{title}</h1>
          {encrypted ? <E2eeLock /> : null}
          <RecordingIndicator />
          <WebinarBanner />
          <Banner tone={reconnecting ? 'warning' : 'info'}>
            {reconnecting
              ? t('call.reconnecting')
              : state === ConnectionState.Connecting
                ? t('call.connectingMedia')
                : null}
          </Banner>
          {serverBanner}
          {mediaError === undefined ? null : (
            <div className="banner" data-tone="error" role="alert">
              {mediaError}
              <button type="button" className="link-button" onClick={() => setMediaError(undefined)}>
                {t('call.dismiss')}
              </button>
            </div>
          )}
          <AnnotationToolbar />
        </header>
        <CaptionsProvider meetingId={meetingId} onError={setMediaError}>
          <CallBody chat={chat} decisions={decisions} />
          <CaptionsOverlay />
          <ControlBar capture={capture} unreadChat={unreadChat} onLeave={onLeave} onError={setMediaError} />
        </CaptionsProvider>
        {pickerOpen && capture.kind === 'picker' ? <ScreenPicker capture={capture} onError={setMediaError} /> : null}
        <RoomAudioRenderer />
      </WebinarProvider>
    </CollabProviders>
  );
}

/**
 * The stage and the side panel. In a narrow call the panel lies over the stage like a sheet:
 * opening it focuses its close button and Escape closes it. Closing it either way returns focus to
 * whatever opened it (its control, or the More button).
 */
function CallBody({ chat, decisions }: { readonly chat: ReactNode; readonly decisions: ReactNode }) {
  const t = useT();
  const room = useRoomContext();
  const panel = useCallUi((s) => s.panel);
  const closePanel = useCallUi((s) => s.closePanel);
  const body = useRef<HTMLDivElement>(null);
  const overlay = useElementSize(body).width < OVERLAY_PANEL_BELOW;
  const closeButton = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  // On opening a panel only (the width read now): a resize must not move focus.
  useEffect(() => {
    if (panel === 'none') return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if ((body.current?.clientWidth ?? Infinity) < OVERLAY_PANEL_BELOW) closeButton.current?.focus();
  }, [panel]);
  const close = () => {
    closePanel();
    if (opener.current?.isConnected === true) opener.current.focus();
  };

  return (
    <div className="call-body" data-panel={panel} data-overlay={overlay || undefined} ref={body}>
      {/* A breakout move swaps the Room (collab/moveRoom.ts): the tiles start over with it, since
          some per-tile observers (a microphone's mute state) stay bound to the participant they
          were made for, and the same person in the new room is another participant object. */}
      <Stage key={room.name} />
      {panel === 'none' ? null : (
        <aside
          className="side-panel"
          aria-label={t('call.panel', { panel })}
          onKeyDown={(e) => {
            if (overlay && e.key === 'Escape' && !e.defaultPrevented) {
              e.preventDefault();
              close();
            }
          }}
        >
          <button
            ref={closeButton}
            type="button"
            className="icon-button panel-close"
            aria-label={t('call.panel.close', { panel })}
            onClick={close}
          >
            <Icon name="close" size={16} />
          </button>
          {panel === 'participants' ? (
            <ParticipantsPanel />
          ) : panel === 'chat' ? (
            chat
          ) : isCollabPanel(panel) ? (
            <CollabPanelView panel={panel} />
          ) : (
            decisions
          )}
        </aside>
      )}
    </div>
  );
}
