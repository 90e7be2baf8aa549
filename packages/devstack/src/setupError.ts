/** A missing prerequisite (Go, Chromium, the network) that the set-up could not fix by itself. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}
