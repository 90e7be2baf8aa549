import { useLocalParticipantPermissions, useRoomContext, useTrackToggle } from '@livekit/components-react';
import { Track } from 'livekit-client';
import { useEffect, useState, type ReactNode } from 'react';
import { CollabPanelButtons } from '../collab/CollabPanels.tsx';
import { HandButton } from '../collab/HandButton.tsx';
import { ReactionsButton } from '../collab/Reactions.tsx';
import { Icon, type IconName } from '../ui/Icon.tsx';
import { useCallUi, type SidePanel } from './callStore.ts';
import { DeviceSelect } from './DeviceSelect.tsx';
import { mayPublish } from './permissions.ts';
import type { ScreenCapture } from './screenShare.ts';

function ToggleButton({
  label,
  icon,
  pressed,
  busy = false,
  danger = false,
  badge = 0,
  shortcut,
  unavailable,
  onClick,
}: {
  readonly label: string;
  readonly icon: IconName;
  readonly pressed?: boolean;
  readonly busy?: boolean;
  readonly danger?: boolean;
  /** Keys as aria-keyshortcuts spells them, e.g. `Control+D`. */
  readonly shortcut?: string;
  /** Why the control cannot be used here; the button is disabled and says so. */
  readonly unavailable?: string;
  /** A count shown on the button (unread messages); 0 shows nothing. */
  readonly badge?: number;
  readonly onClick: () => void;
}): ReactNode {
  return (
    <button
      type="button"
      className={danger ? 'control control-danger' : 'control'}
      aria-pressed={pressed}
      aria-busy={busy}
      aria-keyshortcuts={shortcut}
      disabled={busy || unavailable !== undefined}
      title={unavailable ?? (shortcut === undefined ? label : `${label} (${shortcut.replace('Control', 'Ctrl')})`)}
      onClick={onClick}
    >
      <Icon name={icon} />
      <span className="control-label">{label}</span>
      {badge > 0 ? (
        <span className="badge" aria-label={`${badge} unread`}>
          {badge > 99 ? '99+' : badge}
        </span>
      ) : null}
    </button>
  );
}

/** Ctrl (⌘ on macOS) + a letter, the way other meeting apps bind mute and camera. */
function useShortcut(key: string, action: () => void, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === key) {
        e.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [key, action, enabled]);
}

function MediaToggle({ source }: { readonly source: Track.Source.Microphone | Track.Source.Camera }) {
  const { toggle, enabled, pending } = useTrackToggle({ source });
  const allowed = mayPublish(useLocalParticipantPermissions(), source);
  const mic = source === Track.Source.Microphone;
  const key = mic ? 'd' : 'e';
  useShortcut(key, () => void toggle(), allowed && !pending);
  const label = mic ? (enabled ? 'Mute' : 'Unmute') : enabled ? 'Stop camera' : 'Start camera';
  const icon: IconName = mic ? (enabled ? 'mic' : 'micOff') : enabled ? 'camera' : 'cameraOff';
  return (
    <ToggleButton
      label={label}
      icon={icon}
      pressed={!enabled}
      busy={pending}
      shortcut={`Control+${key.toUpperCase()}`}
      {...(allowed ? {} : { unavailable: 'You joined to watch: your microphone and camera stay off.' })}
      onClick={() => void toggle()}
    />
  );
}

function ScreenShareButton({
  capture,
  onError,
}: {
  readonly capture: ScreenCapture;
  readonly onError: (message: string) => void;
}) {
  const { toggle, enabled, pending } = useTrackToggle({
    source: Track.Source.ScreenShare,
    captureOptions: { audio: true, selfBrowserSurface: 'exclude', systemAudio: 'include' },
    onDeviceError: (e) => onError(`Screen share failed: ${e.message}`),
  });
  const openPicker = useCallUi((s) => s.setScreenPickerOpen);
  const allowed = mayPublish(useLocalParticipantPermissions(), Track.Source.ScreenShare);
  const onClick = () => {
    if (enabled || capture.kind === 'browser') void toggle();
    else openPicker(true);
  };
  return (
    <ToggleButton
      label={enabled ? 'Stop sharing' : 'Share screen'}
      icon="screen"
      pressed={enabled}
      busy={pending}
      {...(allowed ? {} : { unavailable: 'In this meeting only hosts can share their screen.' })}
      onClick={onClick}
    />
  );
}

function PanelButton({
  panel,
  label,
  icon,
  badge = 0,
}: {
  readonly panel: Exclude<SidePanel, 'none'>;
  readonly label: string;
  readonly icon: IconName;
  readonly badge?: number;
}) {
  const open = useCallUi((s) => s.panel === panel);
  const toggle = useCallUi((s) => s.togglePanel);
  return <ToggleButton label={label} icon={icon} pressed={open} badge={badge} onClick={() => toggle(panel)} />;
}

function DevicesButton() {
  const room = useRoomContext();
  const [open, setOpen] = useState(false);
  return (
    <div className="devices">
      <ToggleButton label="Devices" icon="settings" pressed={open} onClick={() => setOpen((o) => !o)} />
      {open ? (
        <div
          className="popover"
          role="dialog"
          aria-label="Devices"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          <DeviceSelect kind="audioinput" room={room} />
          <DeviceSelect kind="videoinput" room={room} />
          <DeviceSelect kind="audiooutput" room={room} />
        </div>
      ) : null}
    </div>
  );
}

export function ControlBar({
  capture,
  unreadChat,
  onLeave,
  onError,
}: {
  readonly capture: ScreenCapture;
  readonly unreadChat: number;
  readonly onLeave: () => void;
  readonly onError: (message: string) => void;
}) {
  const layout = useCallUi((s) => s.layout);
  const setLayout = useCallUi((s) => s.setLayout);
  return (
    <nav className="control-bar" aria-label="Call controls">
      <div className="control-group">
        <MediaToggle source={Track.Source.Microphone} />
        <MediaToggle source={Track.Source.Camera} />
        <ScreenShareButton capture={capture} onError={onError} />
        <DevicesButton />
      </div>
      <div className="control-group">
        <ToggleButton
          label={layout === 'grid' ? 'Speaker view' : 'Grid view'}
          icon={layout === 'grid' ? 'speaker' : 'grid'}
          onClick={() => setLayout(layout === 'grid' ? 'speaker' : 'grid')}
        />
        <PanelButton panel="participants" label="People" icon="people" />
        <PanelButton panel="chat" label="Chat" icon="chat" badge={unreadChat} />
        <PanelButton panel="decisions" label="Decisions" icon="decision" />
      </div>
      <div className="control-group">
        <HandButton />
        <ReactionsButton />
        <CollabPanelButtons />
      </div>
      <div className="control-group">
        <ToggleButton label="Leave" icon="leave" danger onClick={onLeave} />
      </div>
    </nav>
  );
}
