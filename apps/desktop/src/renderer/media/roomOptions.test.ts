import { describe, expect, it } from 'vitest';
import { MeetingKeyProvider } from '../e2ee/keyProvider.ts';
import { captureResolution, roomOptions } from './roomOptions.ts';

describe('roomOptions', () => {
  it('captures 1080p with simulcast, adaptiveStream and dynacast by default', () => {
    const options = roomOptions({ quality: 'hd' });
    expect(options.videoCaptureDefaults?.resolution).toMatchObject({ width: 1920, height: 1080 });
    expect(options.adaptiveStream).toBe(true);
    expect(options.dynacast).toBe(true);
    expect(options.publishDefaults?.simulcast).toBe(true);
  });

  it('captures 2160p only when opted in', () => {
    expect(captureResolution('uhd')).toMatchObject({ width: 3840, height: 2160 });
  });

  it('keeps the chosen devices', () => {
    const options = roomOptions({ quality: 'hd', videoDeviceId: 'cam-2', audioDeviceId: 'mic-3' });
    expect(options.videoCaptureDefaults?.deviceId).toBe('cam-2');
    expect(options.audioCaptureDefaults?.deviceId).toBe('mic-3');
  });

  it('leaves noise suppression to our processor, so that off really is off (music)', () => {
    const audio = roomOptions({ quality: 'hd' }).audioCaptureDefaults;
    expect(audio?.noiseSuppression).toBe(false);
    expect(audio?.echoCancellation).toBe(true);
  });

  it('encrypts only when given an encryption option (an end-to-end encrypted meeting)', () => {
    expect(roomOptions({ quality: 'hd' })).not.toHaveProperty('encryption');
    const keyProvider = new MeetingKeyProvider();
    const worker = {} as Worker;
    expect(roomOptions({ quality: 'hd' }, { keyProvider, worker }).encryption).toEqual({ keyProvider, worker });
  });
});
