import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { AuditControllerContext, createAuditController } from './audit/controller.ts';
import { createPagesController, PagesControllerContext } from './pages/controller.ts';
import { createClient, hasMain } from './bridge.ts';
import type { ScreenCapture } from './call/screenShare.ts';
import { ChatsControllerContext, createChatsController } from './chat/chatsController.ts';
import { createFilesController, FilesControllerContext } from './chat/filesController.ts';
import { ClientContext } from './ClientContext.ts';
import { indexedDbDeviceKeys, sealedDeviceKeys } from './e2ee/deviceKeys.ts';
import { DeviceKeysContext } from './e2ee/DeviceKeysContext.ts';
import { I18nProvider } from './i18n/I18nProvider.tsx';
import { createIntegrationsController, IntegrationsControllerContext } from './integrations/controller.ts';
import { createInsightsController, InsightsControllerContext } from './insights/insightsController.ts';
import { createLinkedController } from './linked/controller.ts';
import { createPreviewMedia } from './media/previewMedia.ts';
import { PreviewMediaContext } from './media/PreviewMediaContext.ts';
import { createNotesController, NotesControllerContext } from './notes/notesController.ts';
import { LinkedControllerContext } from './linked/LinkedContext.ts';
import { createPeopleController, PeopleControllerContext } from './people/people.ts';
import { createPresenceController, PresenceControllerContext } from './presence/presenceController.ts';
import { createScimController, ScimControllerContext } from './scim/controller.ts';
import { createController } from './store/controller.ts';
import { ControllerContext } from './store/ControllerContext.ts';
import './styles.css';

/** Main loads this same page in the sharer's annotation overlay window, with this hash. */
const OVERLAY_HASH = '#overlay';
const AnnotationOverlay = lazy(() =>
  import('./collab/annotations/AnnotationOverlay.tsx').then((m) => ({ default: m.AnnotationOverlay })),
);

// The renderer's composition root: the one place that creates the client (`bridge.ts` picks its
// transport) and hands it, or the controllers made from it, to everything else.
const client = createClient();

/** The preview's tracks open through livekit-client, which loads with the first preview shown. */
const localTracks = () => import('./media/localTracks.ts').then((m) => m.localTracks);

function app() {
  // The camera and microphone before a call, handed to the call (media/previewMedia.ts).
  const previewMedia = createPreviewMedia({
    camera: async (prefs) => (await localTracks()).camera(prefs),
    microphone: async (prefs) => (await localTracks()).microphone(prefs),
  });
  const controller = createController(client, previewMedia);
  controller.start();
  const presence = createPresenceController(client);
  presence.start();

  // Electron's preload defines `window.tandem`; there, screens and windows come from main for our
  // own picker. Without it (the browser test harness) getDisplayMedia picks the source.
  // End-to-end encryption's device key: sealed by main in the app, non-extractable in IndexedDB in the browser.
  const deviceKeys = hasMain() ? sealedDeviceKeys(client) : indexedDbDeviceKeys();
  const capture: ScreenCapture =
    'tandem' in globalThis ? { kind: 'picker', list: controller.screenSources } : { kind: 'browser' };
  return (
    <ControllerContext.Provider value={controller}>
      <PeopleControllerContext.Provider value={createPeopleController(client)}>
        <LinkedControllerContext.Provider value={createLinkedController(client)}>
          <IntegrationsControllerContext.Provider value={createIntegrationsController(client)}>
            <ClientContext.Provider value={client}>
              <AuditControllerContext.Provider value={createAuditController(client)}>
                <ScimControllerContext.Provider value={createScimController(client)}>
                  <ChatsControllerContext.Provider value={createChatsController(client)}>
                    <FilesControllerContext.Provider value={createFilesController(client)}>
                      <PresenceControllerContext.Provider value={presence}>
                        <NotesControllerContext.Provider value={createNotesController(client)}>
                          <InsightsControllerContext.Provider value={createInsightsController(client)}>
                            <DeviceKeysContext.Provider value={deviceKeys}>
                              <PagesControllerContext.Provider value={createPagesController(client)}>
                                <PreviewMediaContext.Provider value={previewMedia}>
                                  <I18nProvider>
                                    <App capture={capture} desktop={hasMain()} />
                                  </I18nProvider>
                                </PreviewMediaContext.Provider>
                              </PagesControllerContext.Provider>
                            </DeviceKeysContext.Provider>
                          </InsightsControllerContext.Provider>
                        </NotesControllerContext.Provider>
                      </PresenceControllerContext.Provider>
                    </FilesControllerContext.Provider>
                  </ChatsControllerContext.Provider>
                </ScimControllerContext.Provider>
              </AuditControllerContext.Provider>
            </ClientContext.Provider>
          </IntegrationsControllerContext.Provider>
        </LinkedControllerContext.Provider>
      </PeopleControllerContext.Provider>
    </ControllerContext.Provider>
  );
}

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    {location.hash === OVERLAY_HASH ? (
      <I18nProvider>
        <Suspense>
          <AnnotationOverlay client={client} />
        </Suspense>
      </I18nProvider>
    ) : (
      app()
    )}
  </StrictMode>,
);
