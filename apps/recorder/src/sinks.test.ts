import { describe, expect, it } from 'vitest';
import { rtmpOutput, streamFailure, tlsFailure } from './sinks.ts';

describe('rtmpOutput', () => {
  const key = 'live-secret';

  it('sends rtmps as plain RTMP to the TLS relay on loopback, keeping the path and the name in tcUrl', () => {
    expect(rtmpOutput({ url: 'rtmps://live.example.com:443/app/', key, address: '203.0.113.9' }, 40123)).toEqual([
      '-rtmp_tcurl',
      'rtmps://live.example.com:443/app',
      'rtmp://127.0.0.1:40123/app/live-secret',
    ]);
    expect(rtmpOutput({ url: 'rtmps://[2001:db8::7]/app/inst', key, address: '2001:db8::7' }, 40124)).toEqual([
      '-rtmp_tcurl',
      'rtmps://[2001:db8::7]/app/inst',
      'rtmp://127.0.0.1:40124/app/inst/live-secret',
    ]);
    // Never straight to the destination by ffmpeg's own TLS (no SNI to a pinned address).
    expect(() => rtmpOutput({ url: 'rtmps://live.example.com/app', key, address: '203.0.113.9' })).toThrow(/TLS relay/);
  });

  it('connects to the pinned IPv4 address and keeps the name in tcUrl', () => {
    expect(rtmpOutput({ url: 'rtmp://a.rtmp.youtube.com/live2', key, address: '142.250.1.2' })).toEqual([
      '-rtmp_tcurl',
      'rtmp://a.rtmp.youtube.com/live2',
      'rtmp://142.250.1.2/live2/live-secret',
    ]);
  });

  it('brackets a pinned IPv6 address and keeps the port and path', () => {
    expect(rtmpOutput({ url: 'RTMP://Ingest.Example:1935/app/inst', key, address: '2001:db8::7' })).toEqual([
      '-rtmp_tcurl',
      'RTMP://Ingest.Example:1935/app/inst',
      'RTMP://[2001:db8::7]:1935/app/inst/live-secret',
    ]);
  });

  it('pins an address given as an IPv6 literal to itself', () => {
    expect(rtmpOutput({ url: 'rtmp://[2001:db8::7]/app', key, address: '2001:db8::7' })).toEqual([
      '-rtmp_tcurl',
      'rtmp://[2001:db8::7]/app',
      'rtmp://[2001:db8::7]/app/live-secret',
    ]);
  });
});

describe('tlsFailure', () => {
  const failure = (code: string) => tlsFailure(Object.assign(new Error('handshake'), { code }));

  it('names a certificate that is not trusted, or not for the name, from Node’s TLS error codes', () => {
    for (const code of [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'CERT_HAS_EXPIRED',
    ])
      expect(failure(code)).toBe('the destination’s TLS certificate is not trusted: the stream was not sent');
    expect(failure('ERR_TLS_CERT_ALTNAME_INVALID')).toBe(
      'the destination’s TLS certificate is not valid for its name: the stream was not sent',
    );
  });

  it('says a refused, silent or closing destination as ffmpeg’s failures do', () => {
    expect(failure('ECONNREFUSED')).toBe(streamFailure(['Connection refused'], 1, (t) => t));
    expect(failure('ETIMEDOUT')).toBe(streamFailure(['Connection timed out'], 1, (t) => t));
    expect(failure('ECONNRESET')).toMatch(/^the destination closed the connection \(TLS: handshake\)$/);
  });
});
