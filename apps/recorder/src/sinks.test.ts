import { describe, expect, it } from 'vitest';
import { rtmpOutput } from './sinks.ts';

describe('rtmpOutput', () => {
  const key = 'live-secret';

  it('sends to the ingest address and key as given when nothing is pinned (rtmps)', () => {
    expect(rtmpOutput({ url: 'rtmps://live.example.com:443/app/', key })).toEqual([
      'rtmps://live.example.com:443/app/live-secret',
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
