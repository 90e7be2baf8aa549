import type { IpcEvent, IpcEventPayload } from '@tandem/shared';

/** Pushes a main → renderer event; Electron sends it to the window, the test harness to its page. */
export type Emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;
