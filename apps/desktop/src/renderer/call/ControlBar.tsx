import {
  useLocalParticipant,
  useLocalParticipantPermissions,
  useRoomContext,
  useTrackToggle,
} from '@livekit/components-react';
import { policyAllowsScreenShare } from '@tandem/shared';
import { Track } from 'livekit-client';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useCaptionsControl } from '../captions/useCaptionsControl.ts';
import { useCollabPanelControls } from '../collab/CollabPanels.tsx';
import { useHandControl } from '../collab/HandButton.tsx';
import { ReactionPicker } from '../collab/Reactions.tsx';
import { isHostParticipant } from '../collab/roomData.ts';
import { EffectsPicker } from '../media/EffectsPicker.tsx';
import { useRecordControl } from '../recording/useRecordControl.ts';
import { useAppStore } from '../store/appStore.ts';
import { useT } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { Icon, type IconName } from '../ui/Icon.tsx';
import { controlTitle, type CallControl, type ControlPopover } from './callControl.ts';
import { useCallUi, type SidePanel } from './callStore.ts';
import { fitControls, MORE, sameFit, type ControlFit, type ControlMode } from './controlFit.ts';
import { DeviceSelect } from './DeviceSelect.tsx';
import { Badge, MoreMenu } from './MoreMenu.tsx';
import { mayPublish } from './permissions.ts';
import type { ScreenCapture } from './screenShare.ts';
import { useElementSize } from './useElementSize.ts';
import { useWhiteboardControl } from '../whiteboard/useWhiteboardControl.ts';
import './call.css';

/**
 * Bar order, and when each control leaves the bar for the "More" menu in a narrow window: lowest
 * first, `null` never. Camera, share and chat leave only below 480 px, when nothing else is left.
 */
const RANK = {
  mic: null,
  camera: 101,
  share: 100,
  devices: 6,
  effects: 6.5,
  layout: 5,
  participants: 9,
  chat: 102,
  decisions: 8,
  hand: 10,
  captions: 11,
  react: 7,
  meeting: 4,
  polls: 3,
  qna: 2,
  breakouts: 1,
  record: 0,
  // The newest control leaves first: a narrow window keeps the bar it had before the whiteboard.
  whiteboard: -1,
  leave: null,
} as const satisfies Record<string, number | null>;
type ControlId = keyof typeof RANK;
type BarControl = CallControl<ControlId>;

function ControlButton({ control, expanded }: { readonly control: CallControl; readonly expanded: boolean }) {
  const { label, icon, pressed, busy = false, danger = false, badge = 0, shortcut, unavailable, popover } = control;
  return (
    <button
      type="button"
      className={danger ? 'control control-danger' : 'control'}
      aria-pressed={pressed}
      aria-haspopup={popover === undefined ? undefined : 'dialog'}
      aria-expanded={popover === undefined ? undefined : expanded}
      aria-busy={busy}
      aria-keyshortcuts={shortcut}
      disabled={busy || unavailable !== undefined}
      title={controlTitle(control)}
      onClick={control.onClick}
    >
      <Icon name={icon} />
      <span className="control-label">{label}</span>
      <Badge count={badge} />
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

function useMediaControl(source: Track.Source.Microphone | Track.Source.Camera): BarControl {
  const t = useT();
  const { toggle, enabled, pending } = useTrackToggle({ source });
  const allowed = mayPublish(useLocalParticipantPermissions(), source);
  const mic = source === Track.Source.Microphone;
  const key = mic ? 'd' : 'e';
  // Bound here, not on the button: the shortcut works wherever the control is drawn.
  useShortcut(key, () => void toggle(), allowed && !pending);
  return {
    id: mic ? 'mic' : 'camera',
    label: t(mic ? (enabled ? 'call.mute' : 'call.unmute') : enabled ? 'call.camera.stop' : 'call.camera.start'),
    icon: mic ? (enabled ? 'mic' : 'micOff') : enabled ? 'camera' : 'cameraOff',
    pressed: !enabled,
    busy: pending,
    shortcut: `Control+${key.toUpperCase()}`,
    ...(allowed ? {} : { unavailable: t('call.watchOnly') }),
    onClick: () => void toggle(),
  };
}

function useScreenShareControl(capture: ScreenCapture, onError: (message: string) => void): BarControl {
  const t = useT();
  const { toggle, enabled, pending } = useTrackToggle({
    source: Track.Source.ScreenShare,
    captureOptions: { audio: true, selfBrowserSurface: 'exclude', systemAudio: 'include' },
    onDeviceError: (e) => onError(t('call.share.failed', { reason: e.message })),
  });
  const openPicker = useCallUi((s) => s.setScreenPickerOpen);
  const allowed = mayPublish(useLocalParticipantPermissions(), Track.Source.ScreenShare);
  const policy = useAppStore((s) => s.managed.values.screenShare);
  const { localParticipant } = useLocalParticipant();
  // IT's policy first (it speaks for the whole machine), then the meeting's own grant.
  const unavailable = !policyAllowsScreenShare(policy, isHostParticipant(localParticipant))
    ? t(policy === 'nobody' ? 'call.share.policyNobody' : 'call.share.policyHosts')
    : allowed
      ? undefined
      : t('call.share.hostsOnly');
  return {
    id: 'share',
    label: t(enabled ? 'call.share.stop' : 'call.share'),
    icon: 'screen',
    pressed: enabled,
    busy: pending,
    ...(unavailable === undefined ? {} : { unavailable }),
    onClick: () => {
      if (enabled || capture.kind === 'browser') void toggle();
      else openPicker(true);
    },
  };
}

function usePanelControls(unreadChat: number) {
  const t = useT();
  const open = useCallUi((s) => s.panel);
  const toggle = useCallUi((s) => s.togglePanel);
  const panel = (
    id: Exclude<SidePanel, 'none'> & ControlId,
    label: MessageId,
    icon: IconName,
    badge = 0,
  ): BarControl => ({
    id,
    label: t(label),
    icon,
    pressed: open === id,
    badge,
    onClick: () => toggle(id),
  });
  return {
    participants: panel('participants', 'call.people', 'people'),
    chat: panel('chat', 'call.chat', 'chat', unreadChat),
    decisions: panel('decisions', 'call.decisions', 'decision'),
  };
}

function useLayoutControl(): BarControl {
  const t = useT();
  const layout = useCallUi((s) => s.layout);
  const setLayout = useCallUi((s) => s.setLayout);
  return {
    id: 'layout',
    label: t(layout === 'grid' ? 'call.layout.speaker' : 'call.layout.grid'),
    icon: layout === 'grid' ? 'speaker' : 'grid',
    onClick: () => setLayout(layout === 'grid' ? 'speaker' : 'grid'),
  };
}

const POPOVER: Readonly<Record<ControlPopover, { className: string; label: MessageId }>> = {
  devices: { className: 'popover', label: 'call.devices' },
  reactions: { className: 'popover reaction-picker', label: 'call.reactions' },
  effects: { className: 'popover effects-popover', label: 'call.effects' },
};

function Popover({ kind, onClose }: { readonly kind: ControlPopover; readonly onClose: () => void }) {
  const t = useT();
  const room = useRoomContext();
  const dialog = useRef<HTMLDivElement>(null);
  // Into the dialog on opening; onto the dialog itself while its device lists are still empty.
  useEffect(() => {
    const first = dialog.current?.querySelector<HTMLElement>('select:enabled, button:enabled');
    (first ?? dialog.current)?.focus();
  }, []);
  return (
    <div
      ref={dialog}
      className={POPOVER[kind].className}
      role="dialog"
      tabIndex={-1}
      aria-label={t(POPOVER[kind].label)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      {kind === 'reactions' ? (
        <ReactionPicker />
      ) : kind === 'effects' ? (
        <EffectsPicker />
      ) : (
        <>
          <DeviceSelect kind="audioinput" room={room} />
          <DeviceSelect kind="videoinput" room={room} />
          <DeviceSelect kind="audiooutput" room={room} />
        </>
      )}
    </div>
  );
}

/**
 * The bar's layout, measured: the row's width (followed with a ResizeObserver) and each control's
 * rendered width in the mode it is drawn in. Controls in the menu stay rendered, hidden and out of
 * the flow, so they are measured too and the bar knows when they fit again.
 */
function useControlFit(controls: readonly BarControl[]) {
  const row = useRef<HTMLDivElement>(null);
  const available = useElementSize(row).width;
  const widths = useRef<Record<ControlMode, Map<string, number>>>({ labelled: new Map(), compact: new Map() });
  const [fit, setFit] = useState<ControlFit>({ mode: 'labelled', overflow: [] });
  const order = controls.map((c) => ({ id: c.id, rank: RANK[c.id] }));
  // After every render: a label that changed (Mute, Unmute) changes a width.
  useLayoutEffect(() => {
    const element = row.current;
    if (element === null) return;
    for (const slot of element.querySelectorAll<HTMLElement>('[data-control]'))
      widths.current[fit.mode].set(slot.dataset['control'] ?? '', slot.getBoundingClientRect().width);
    const gap = Number.parseFloat(getComputedStyle(element).columnGap) || 0;
    const next = fitControls({ controls: order, widths: widths.current, available, gap });
    if (!sameFit(next, fit)) setFit(next);
  });
  return { row, fit };
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
  const t = useT();
  const [popover, setPopover] = useState<ControlPopover | null>(null);
  const togglePopover = (kind: ControlPopover) => setPopover((open) => (open === kind ? null : kind));
  const { participants, chat, decisions } = usePanelControls(unreadChat);
  const controls: BarControl[] = [
    useMediaControl(Track.Source.Microphone),
    useMediaControl(Track.Source.Camera),
    useScreenShareControl(capture, onError),
    {
      id: 'devices',
      label: t('call.devices'),
      icon: 'settings',
      popover: 'devices',
      onClick: () => togglePopover('devices'),
    },
    {
      id: 'effects',
      label: t('call.effects'),
      icon: 'effects',
      popover: 'effects',
      onClick: () => togglePopover('effects'),
    },
    useLayoutControl(),
    participants,
    chat,
    decisions,
    useHandControl(),
    ...useCaptionsControl(),
    {
      id: 'react',
      label: t('call.react'),
      icon: 'react',
      popover: 'reactions',
      onClick: () => togglePopover('reactions'),
    },
    ...useRecordControl(onError),
    useWhiteboardControl(),
    ...useCollabPanelControls(),
    { id: 'leave', label: t('call.leave'), icon: 'leave', danger: true, onClick: onLeave },
  ];
  const { row, fit } = useControlFit(controls);
  const more = useRef<HTMLButtonElement>(null);
  const inMenu = controls.filter((c) => fit.overflow.includes(c.id));
  const popoverInMenu = inMenu.some((c) => c.popover !== undefined && c.popover === popover);
  const closePopover = () => {
    // Focus goes back to what opened it: its button, or More when it lives in the menu.
    const opener = popoverInMenu
      ? more.current
      : row.current?.querySelector<HTMLElement>(
          `[data-control="${controls.find((c) => c.popover === popover)?.id}"] button`,
        );
    setPopover(null);
    opener?.focus();
  };

  const slot = (control: BarControl) => {
    const away = fit.overflow.includes(control.id);
    return (
      <div key={control.id} className="control-slot" data-control={control.id} data-away={away || undefined}>
        <ControlButton control={control} expanded={popover !== null && popover === control.popover} />
        {!away && popover !== null && popover === control.popover ? (
          <Popover kind={popover} onClose={closePopover} />
        ) : null}
      </div>
    );
  };
  return (
    <nav className="control-bar" aria-label={t('call.controls')}>
      <div className="control-row" ref={row} data-mode={fit.mode}>
        {controls.filter((c) => c.id !== 'leave').map(slot)}
        <div className="control-slot" data-control={MORE} data-away={inMenu.length === 0 || undefined}>
          <MoreMenu controls={inMenu} openPopover={popover} button={more} />
          {popoverInMenu && popover !== null ? <Popover kind={popover} onClose={closePopover} /> : null}
        </div>
        {controls.filter((c) => c.id === 'leave').map(slot)}
      </div>
    </nav>
  );
}
