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

  it('reads single sign-on settings', () => {
    expect(loadConfig(base).sso).toEqual({ dnsServers: [], allowLoopbackHttp: false, handoffTtlSeconds: 60 });
    const set = loadConfig({
      ...base,
      SSO_DNS_SERVERS: '10.0.0.53, 127.0.0.1:5353',
      SSO_ALLOW_LOOPBACK_HTTP: '1',
      SSO_HANDOFF_TTL_SECONDS: '30',
    });
    expect(set.sso).toEqual({
      dnsServers: ['10.0.0.53', '127.0.0.1:5353'],
      allowLoopbackHttp: true,
      handoffTtlSeconds: 30,
    });
  });

  it('reads recording: on by default, IT turns it off, the recorder’s tools and size', () => {
    expect(loadConfig(base).recording).toEqual({
      allowed: true,
      dir: 'recordings',
      chromiumPath: '/usr/bin/chromium',
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      width: 1280,
      height: 720,
    });
    const off = loadConfig({ ...base, RECORDING: 'off', RECORDINGS_DIR: '/srv/rec', RECORDING_HEIGHT: '360' });
    expect(off.recording).toMatchObject({ allowed: false, dir: '/srv/rec', height: 360 });
    expect(() => loadConfig({ ...base, RECORDING: 'no' })).toThrow(/RECORDING/);
  });

  it('reads the PostgreSQL pool size, 10 unless set', () => {
    expect(loadConfig(base).databasePoolSize).toBe(10);
    expect(loadConfig({ ...base, DATABASE_POOL_SIZE: '40' }).databasePoolSize).toBe(40);
    expect(() => loadConfig({ ...base, DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ ...base, PORT: 'eighty', LIVEKIT_API_SECRET: 'short' })).toThrow(
      /PORT.*LIVEKIT_API_SECRET|LIVEKIT_API_SECRET.*PORT/,
    );
  });
});
