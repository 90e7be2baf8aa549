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

export function isPermissionGranted(
  permission: string,
  requestingUrl: string,
  isOwnUi: (url: string) => boolean,
): boolean {
  return GRANTED.has(permission) && isOwnUi(requestingUrl);
}
