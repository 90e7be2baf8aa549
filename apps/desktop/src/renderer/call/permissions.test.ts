import { Track } from 'livekit-client';
import { describe, expect, it } from 'vitest';
import { mayPublish } from './permissions.ts';

const camera = Track.sourceToProto(Track.Source.Camera);
const microphone = Track.sourceToProto(Track.Source.Microphone);

describe('mayPublish', () => {
  it('allows every source when the grant lists none', () => {
    expect(mayPublish({ canPublish: true, canPublishSources: [] }, Track.Source.ScreenShare)).toBe(true);
  });

  it('refuses a screen share to an attendee whose grant lists only camera and microphone', () => {
    const attendee = { canPublish: true, canPublishSources: [camera, microphone] };
    expect(mayPublish(attendee, Track.Source.ScreenShare)).toBe(false);
    expect(mayPublish(attendee, Track.Source.Camera)).toBe(true);
  });

  it('refuses everything to a view-only seat, and allows while the room has not said yet', () => {
    expect(mayPublish({ canPublish: false, canPublishSources: [] }, Track.Source.Microphone)).toBe(false);
    expect(mayPublish(undefined, Track.Source.ScreenShare)).toBe(true);
  });
});
