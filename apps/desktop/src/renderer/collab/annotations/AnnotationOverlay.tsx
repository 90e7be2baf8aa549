import type { IpcEventPayload, TandemClient, annotations } from '@tandem/shared';
import { useEffect, useState } from 'react';
import { shapeOf } from './shapes.ts';
import { ShapeView } from './ShapeView.tsx';
import '../collab.css';
import { useT } from '../../i18n/useT.ts';
import { useAppStore } from '../../store/appStore.ts';

/** The window's size: the overlay window is laid exactly over the shared display. */
function useWindowSize(): annotations.Size {
  const [size, setSize] = useState({ width: window.innerWidth, height: window.innerHeight });
  useEffect(() => {
    const update = () => setSize({ width: window.innerWidth, height: window.innerHeight });
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);
  return size;
}

/**
 * The overlay window's page (`#overlay`): the call's drawings over the sharer's own screen,
 * read-only and without controls, in the app's language. The window covers the shared display, so the whole window is
 * the video frame the geometry is normalised to. Main makes the window click-through.
 */
export function AnnotationOverlay({
  client,
}: {
  readonly client: Pick<TandemClient, 'onOverlayScene' | 'settingsGet'>;
}) {
  const t = useT();
  const [scene, setScene] = useState<IpcEventPayload<'overlay:scene'>>({ elements: [] });
  const size = useWindowSize();
  useEffect(() => client.onOverlayScene(setScene), [client]);
  // The app's language (Settings, or IT's policy), which I18nProvider reads from the store; until
  // it is read, and if it cannot be, the OS's.
  useEffect(() => {
    client.settingsGet({}).then(
      (settings) => useAppStore.getState().setSettings(settings),
      () => undefined,
    );
  }, [client]);
  const painted: annotations.Rect = { left: 0, top: 0, ...size };
  return (
    <svg
      className="annotation-overlay"
      width={size.width}
      height={size.height}
      role="img"
      aria-label={t('collab.annotations.yours', { count: scene.elements.length })}
    >
      {scene.elements.map((element) => (
        <g key={element.id} data-element-id={element.id}>
          <ShapeView shape={shapeOf(element, painted)} color={element.color} />
        </g>
      ))}
    </svg>
  );
}
