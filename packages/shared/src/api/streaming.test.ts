import { describe, expect, it } from 'vitest';
import { StreamUrlSchema } from './streaming.ts';

describe('StreamUrlSchema', () => {
  it.each([
    'rtmp://a.rtmp.youtube.com/live2',
    'rtmps://live-api-s.facebook.com:443/rtmp/',
    'rtmp://192.0.2.10:1935/app',
    'rtmp://[2001:db8::7]:1935/app',
    'rtmp://[::ffff:192.0.2.10]/app',
  ])('takes %s', (url) => {
    expect(StreamUrlSchema.safeParse(url).success).toBe(true);
  });

  it.each([
    'https://example.com/live',
    'rtmp://user:secret@example.com/live',
    'rtmp:///live',
    'rtmp://[example.com]/live',
    'rtmp://2001:db8::7/live',
    'rtmp://example.com/live key',
  ])('refuses %s', (url) => {
    expect(StreamUrlSchema.safeParse(url).success).toBe(false);
  });
});
