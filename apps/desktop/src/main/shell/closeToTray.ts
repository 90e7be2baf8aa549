/**
 * What closing the window does: with close-to-tray (Teams, Slack; the default) the window hides
 * and the app keeps running in the tray, unless the app is quitting (tray Quit, the OS logging
 * out, Cmd+Q). Launching the app again brings the window back where no tray icon shows.
 */
export function onWindowClose(state: { readonly quitting: boolean; readonly closeToTray: boolean }): 'hide' | 'close' {
  return !state.quitting && state.closeToTray ? 'hide' : 'close';
}
