import { createContext, useContext } from 'react';
import type { DeviceKeys } from './deviceKeys.ts';

/** How this platform keeps the device key; main.tsx, the composition root, provides it. */
export const DeviceKeysContext = createContext<DeviceKeys | undefined>(undefined);

export function useDeviceKeys(): DeviceKeys {
  const keys = useContext(DeviceKeysContext);
  if (keys === undefined) throw new Error('useDeviceKeys must be used inside DeviceKeysContext');
  return keys;
}
