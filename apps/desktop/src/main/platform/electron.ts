import { desktopCapturer, safeStorage, shell } from 'electron';
import type { Platform } from './types.ts';

/**
 * On Linux without a keyring, safeStorage "encrypts" with a hard-coded key (`basic_text`):
 * that is plain text in all but name, so we treat it as no key store.
 */
function hasRealKeyStore(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/** Must be created after `app.whenReady()` (safeStorage and desktopCapturer need the app ready). */
export function electronPlatform(): Platform {
  return {
    secretCipher: hasRealKeyStore()
      ? { encrypt: (plain) => safeStorage.encryptString(plain), decrypt: (data) => safeStorage.decryptString(data) }
      : null,
    openExternal: (url) => shell.openExternal(url),
    async screenSources(thumbnailWidth) {
      const size = { width: thumbnailWidth, height: Math.round((thumbnailWidth * 9) / 16) };
      const sources = await desktopCapturer.getSources({
        types: ['screen', 'window'],
        thumbnailSize: size,
        fetchWindowIcons: true,
      });
      return sources.map((source) => ({
        id: source.id,
        name: source.name,
        kind: source.id.startsWith('screen:') ? 'screen' : 'window',
        thumbnailDataUrl: source.thumbnail.toDataURL(),
        appIconDataUrl: source.appIcon?.toDataURL() ?? null,
      }));
    },
  };
}
