import type { ScreenSource } from '@tandem/shared';
import type { SecretCipher } from '../services/secretStore.ts';

/**
 * What main needs from Electron beyond windows. The Electron implementation is platform/electron.ts;
 * tests and the Node test harness pass small fakes, so nothing else in main imports electron.
 */
export type Platform = {
  /** The OS key store's cipher, or null when there is none (secrets then stay in memory). */
  readonly secretCipher: SecretCipher | null;
  openExternal(url: string): Promise<void>;
  screenSources(thumbnailWidth: number): Promise<ScreenSource[]>;
};
