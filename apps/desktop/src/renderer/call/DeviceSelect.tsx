import { useMediaDeviceSelect } from '@livekit/components-react';
import type { Room } from 'livekit-client';
import { useId } from 'react';
import { useT } from '../i18n/useT.ts';

/**
 * A labelled device picker. With a room it switches the live track (mid-call); without one it
 * reports the choice (pre-join preview). `requestPermissions: false` lists the devices without
 * opening one for their names: a preview whose own track is still opening gives them names soon
 * (a list asked for meanwhile would open the camera a second time).
 */
export function DeviceSelect({
  kind,
  room,
  value,
  onChange,
  requestPermissions = true,
}: {
  readonly kind: 'audioinput' | 'videoinput' | 'audiooutput';
  readonly room?: Room;
  readonly value?: string;
  readonly onChange?: (deviceId: string) => void;
  readonly requestPermissions?: boolean;
}) {
  const t = useT();
  const id = useId();
  const { devices, activeDeviceId, setActiveMediaDevice } = useMediaDeviceSelect({
    kind,
    requestPermissions,
    ...(room === undefined ? {} : { room }),
  });
  const selected = value ?? activeDeviceId;
  return (
    <div className="field">
      <label htmlFor={id}>{t(`device.${kind}`)}</label>
      <select
        id={id}
        value={devices.some((d) => d.deviceId === selected) ? selected : ''}
        disabled={devices.length === 0}
        onChange={(e) => {
          const deviceId = e.target.value;
          if (room !== undefined) void setActiveMediaDevice(deviceId);
          onChange?.(deviceId);
        }}
      >
        {devices.length === 0 ? <option value="">{t('device.none', { kind })}</option> : null}
        {devices.map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || t('device.numbered', { kind, number: i + 1 })}
          </option>
        ))}
      </select>
    </div>
  );
}
