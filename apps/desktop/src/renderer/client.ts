/**
 * What every transport of the one client interface implements, and what a failed call throws.
 * A leaf module: `bridge.ts` (which picks the transport) and `browser/transport.ts` both build on
 * it, and a feature imports `BridgeError` from here to branch on a failure's code.
 */
import type { IpcChannel, IpcError, IpcEvent, IpcResult, Unsubscribe } from '@tandem/shared';

/** A failed call: branch on `code` (the shared ErrorCode), show `message`, mark fields with `issues`. */
export class BridgeError extends Error {
  readonly code: IpcError['code'];
  readonly issues: IpcError['issues'];

  constructor(error: IpcError) {
    super(error.message);
    this.name = 'BridgeError';
    this.code = error.code;
    this.issues = error.issues;
  }
}

export type Transport = {
  invoke(channel: IpcChannel, request: unknown): Promise<IpcResult<unknown>>;
  subscribe(event: IpcEvent, listener: (payload: unknown) => void): Unsubscribe;
};
