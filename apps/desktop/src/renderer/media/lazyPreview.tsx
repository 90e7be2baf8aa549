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
