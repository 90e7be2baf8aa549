import E2eeWorker from 'livekit-client/e2ee-worker?worker';

/** LiveKit's frame-encryption worker, bundled by Vite with the renderer (the CSPs allow workers from 'self'). */
export const e2eeWorker = (): Worker => new E2eeWorker();
