import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { AuditControllerContext, createAuditController } from './audit/controller.ts';
import { tandem } from './bridge.ts';
import type { ScreenCapture } from './call/screenShare.ts';
import { createScimController, ScimControllerContext } from './scim/controller.ts';
import { createController } from './store/controller.ts';
import { ControllerContext } from './store/ControllerContext.ts';
import './styles.css';

/** Main loads this same page in the sharer's annotation overlay window, with this hash. */
const OVERLAY_HASH = '#overlay';
const AnnotationOverlay = lazy(() =>
  import('./collab/annotations/AnnotationOverlay.tsx').then((m) => ({ default: m.AnnotationOverlay })),
);

// The renderer's composition root: the one place that picks the bridge and wires the app.
function app() {
  const controller = createController(tandem);
  controller.start();

  // Electron's preload defines `window.tandem`; there, screens and windows come from main for our
  // own picker. Without it (the browser test harness) getDisplayMedia picks the source.
  const capture: ScreenCapture =
    'tandem' in globalThis ? { kind: 'picker', list: controller.screenSources } : { kind: 'browser' };
  return (
    <ControllerContext.Provider value={controller}>
      <AuditControllerContext.Provider value={createAuditController(tandem)}>
        <ScimControllerContext.Provider value={createScimController(tandem)}>
          <App capture={capture} />
        </ScimControllerContext.Provider>
      </AuditControllerContext.Provider>
    </ControllerContext.Provider>
  );
}

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    {location.hash === OVERLAY_HASH ? (
      <Suspense>
        <AnnotationOverlay client={tandem} />
      </Suspense>
    ) : (
      app()
    )}
  </StrictMode>,
);
