import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

const base = {
  LIVEKIT_URL: 'ws://127.0.0.1:7880',
  LIVEKIT_API_KEY: 'key',
  LIVEKIT_API_SECRET: 'a-secret-that-is-at-least-32-characters-long',
};

describe('loadConfig', () => {
  it('fills defaults', () => {
    expect(loadConfig(base)).toMatchObject({ port: 8787, host: '127.0.0.1' });
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ ...base, PORT: 'eighty', LIVEKIT_API_SECRET: 'short' })).toThrow(
      /PORT.*LIVEKIT_API_SECRET|LIVEKIT_API_SECRET.*PORT/,
    );
  });
});
