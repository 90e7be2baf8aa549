import { describe, expect, it } from 'vitest';
import { rtmpOutput, streamFailure } from './sinks.ts';

describe('rtmpOutput', () => {
  const key = 'live-secret';

  it('pins rtmps too, and has ffmpeg verify the certificate for the name, not the address it dials', () => {
    expect(rtmpOutput({ url: 'rtmps://live.example.com:443/app/', key, address: '203.0.113.9' })).toEqual([
      '-rtmp_tcurl',
      'rtmps://live.example.com:443/app',
      '-tls_verify',
      '1',
      '-verifyhost',
      'live.example.com',
      'rtmps://203.0.113.9:443/app/live-secret',
    ]);
    // The authorities the server trusts instead of the system's.
    expect(
      rtmpOutput({ url: 'rtmps://[2001:db8::7]/app', key, address: '2001:db8::7', caFile: '/etc/tandem/ca.pem' }),
    ).toEqual([
      '-rtmp_tcurl',
      'rtmps://[2001:db8::7]/app',
      '-tls_verify',
      '1',
      '-verifyhost',
      '2001:db8::7',
      '-ca_file',
      '/etc/tandem/ca.pem',
      'rtmps://[2001:db8::7]/app/live-secret',
    ]);
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

describe('streamFailure', () => {
  const hide = (text: string) => text.split('live-secret').join('•••');

  it('names a certificate that is not trusted, or not for the name, without the key', () => {
    const untrusted = [
      '[tls @ 0x55bb19a4f300] Peer certificate failed verification',
      '[rtmps @ 0x55bb19a51cc0] Cannot open connection tls://127.0.0.1:19351',
      'rtmps://127.0.0.1:19351/live/live-secret: Input/output error',
    ];
    expect(streamFailure(untrusted, 1, hide)).toBe(
      'the destination’s TLS certificate is not trusted: the stream was not sent',
    );
    const wrongName = [
      "[tls @ 0x55deb4e03d00] The certificate's owner does not match hostname localhost",
      'rtmps://127.0.0.1:19351/live/live-secret: Input/output error',
    ];
    expect(streamFailure(wrongName, 1, hide)).toBe(
      'the destination’s TLS certificate is not valid for its name: the stream was not sent',
    );
  });
});
