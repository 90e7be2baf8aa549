import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IpcErrorSchema } from './contract.ts';

/**
 * The test harness's wire format: a Chromium page talks to the real main-process IPC handlers
 * running in Node over one WebSocket, in place of the preload. Same channels, same envelope.
 */
export const BridgeRequestSchema = lazySchema(() =>
  z.object({
    id: z.number().int().min(0),
    channel: z.string(),
    payload: z.unknown(),
  }),
);
export type BridgeRequest = z.infer<typeof BridgeRequestSchema>;

export const BridgeFrameSchema = lazySchema(() =>
  z.union([
    z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
    z.object({ id: z.number().int(), ok: z.literal(false), error: IpcErrorSchema }),
    z.object({ event: z.string(), payload: z.unknown() }),
  ]),
);
export type BridgeFrame = z.infer<typeof BridgeFrameSchema>;

/** The page URL's query parameter that names the harness WebSocket (`?bridge=ws://127.0.0.1:PORT`). */
export const BRIDGE_QUERY_PARAM = 'bridge';
