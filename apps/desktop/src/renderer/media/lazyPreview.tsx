import { useEffect, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { preloadable } from '../ui/preloadable.tsx';

function PreviewStarting() {
  const t = useT();
  return (
    <div className="preview-off" role="status">
      {t('meetings.prejoin.cameraStarting')}
    </div>
  );
}

/**
 * The self-preview with its device pickers for the screens of the page's first script (a guest's
 * name form, the lobby): its code comes with livekit-client, so it loads when such a screen shows,
 * and the call finds livekit-client evaluated and the camera open.
 */
export const previewWithDevices = preloadable(
  () => import('./SelfPreview.tsx').then((m) => m.PreviewWithDevices),
  <PreviewStarting />,
);

/**
 * The preview with its pickers once the page is first idle after the screen painted, so that its
 * start (livekit-client's evaluation, opening the camera) never holds up the first paint of a
 * page that has just loaded (a guest's name form, B7).
 */
export function PreviewWhenIdle() {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (typeof requestIdleCallback !== 'function') {
      setIdle(true);
      return;
    }
    const id = requestIdleCallback(() => setIdle(true), { timeout: 500 });
    return () => cancelIdleCallback(id);
  }, []);
  return idle ? <previewWithDevices.Component /> : <PreviewStarting />;
}
