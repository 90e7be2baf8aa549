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

  it('reads how often open visits are reconciled with LiveKit, and their grace', () => {
    expect(loadConfig(base).reconcile).toEqual({ everySeconds: 30, graceSeconds: 30 });
    expect(
      loadConfig({ ...base, LIVEKIT_RECONCILE_SECONDS: '5', LIVEKIT_RECONCILE_GRACE_SECONDS: '45' }).reconcile,
    ).toEqual({ everySeconds: 5, graceSeconds: 45 });
    expect(() => loadConfig({ ...base, LIVEKIT_RECONCILE_SECONDS: '0' })).toThrow(/LIVEKIT_RECONCILE_SECONDS/);
    expect(() => loadConfig({ ...base, LIVEKIT_RECONCILE_GRACE_SECONDS: 'soon' })).toThrow(
      /LIVEKIT_RECONCILE_GRACE_SECONDS/,
    );
  });

  it('reads where live streams may go and which authorities their TLS certificates must chain to', () => {
    expect(loadConfig(base).streaming).toEqual({ allowPrivate: false });
    expect(
      loadConfig({ ...base, STREAM_ALLOW_PRIVATE: '1', STREAM_TLS_CA_FILE: '/etc/tandem/ca.pem' }).streaming,
    ).toEqual({ allowPrivate: true, caFile: '/etc/tandem/ca.pem' });
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

  it('keeps frequent statements prepared on PostgreSQL unless DATABASE_NAMED_STATEMENTS is off', () => {
    expect(loadConfig(base).databaseNamedStatements).toBe(true);
    expect(loadConfig({ ...base, DATABASE_NAMED_STATEMENTS: 'off' }).databaseNamedStatements).toBe(false);
    expect(() => loadConfig({ ...base, DATABASE_NAMED_STATEMENTS: 'no' })).toThrow(/DATABASE_NAMED_STATEMENTS/);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ ...base, PORT: 'eighty', LIVEKIT_API_SECRET: 'short' })).toThrow(
      /PORT.*LIVEKIT_API_SECRET|LIVEKIT_API_SECRET.*PORT/,
    );
  });
});

describe('loadConfig: phone', () => {
  it('has no phone without dial-in or an outbound trunk', () => {
    expect(loadConfig(base).phone).toBeUndefined();
  });

  it('reads dial-in, its allowed addresses, the outbound trunk and the PIN limits', () => {
    const phone = loadConfig({
      ...base,
      PHONE_DIAL_IN: 'on',
      PHONE_ALLOWED_ADDRESSES: '203.0.113.0/24, 198.51.100.7/32',
      SIP_OUTBOUND_ADDRESS: 'sip.trunk.example:5060',
      SIP_OUTBOUND_NUMBER: '+442071230000',
      SIP_OUTBOUND_USERNAME: 'tandem',
      SIP_OUTBOUND_PASSWORD: 'secret',
      PHONE_MAX_PIN_FAILURES: '3',
      PHONE_BRIDGE_PREFIX: '+44',
      PHONE_BRIDGE_RING_SECONDS: '30',
    }).phone;
    expect(phone).toEqual({
      dialIn: { allowedAddresses: ['203.0.113.0/24', '198.51.100.7/32'] },
      outbound: { address: 'sip.trunk.example:5060', number: '+442071230000', username: 'tandem', password: 'secret' },
      maxPinFailures: 3,
      pinFailureWindowMs: 900_000,
      espeakPath: 'espeak-ng',
      sipAllowPrivate: false,
      connectorRingSeconds: 30,
      preferredPrefix: '+44',
    });
  });

  it('offers dial-out without dial-in', () => {
    const phone = loadConfig({
      ...base,
      SIP_OUTBOUND_ADDRESS: '127.0.0.1:5070',
      SIP_OUTBOUND_NUMBER: '+15550100',
    }).phone;
    expect(phone?.dialIn).toBeNull();
    expect(phone?.outbound).toEqual({ address: '127.0.0.1:5070', number: '+15550100' });
  });

  it('calls SIP addresses on private networks only when told to', () => {
    const outbound = { ...base, SIP_OUTBOUND_ADDRESS: '127.0.0.1:5070', SIP_OUTBOUND_NUMBER: '+15550100' };
    expect(loadConfig({ ...outbound, PHONE_SIP_ALLOW_PRIVATE: '1' }).phone?.sipAllowPrivate).toBe(true);
    expect(() => loadConfig({ ...outbound, PHONE_SIP_ALLOW_PRIVATE: 'yes' })).toThrow(/PHONE_SIP_ALLOW_PRIVATE/);
  });
});
