import { policyAllowsScreenShare, type Policy } from '@tandem/shared';

/**
 * What our own UI may ask the OS for: camera and microphone (`media`), screen capture, full
 * screen for a shared screen, and writing to the clipboard. Any other permission, or any request
 * from a frame that is not our UI, is refused.
 */
const GRANTED: ReadonlySet<string> = new Set([
  'media',
  'display-capture',
  'fullscreen',
  'clipboard-sanitized-write',
  'speaker-selection',
]);

/**
 * `screenShare` is IT's policy: with `nobody`, screen capture is refused to our UI as well, so no
 * share can start on this machine whatever the renderer does.
 */
export function isPermissionGranted(
  permission: string,
  requestingUrl: string,
  isOwnUi: (url: string) => boolean,
  screenShare?: Policy['screenShare'],
): boolean {
  if (permission === 'display-capture' && !policyAllowsScreenShare(screenShare, true)) return false;
  return GRANTED.has(permission) && isOwnUi(requestingUrl);
}
