import { PRODUCT } from '@tandem/shared';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import type { ScreenCapture } from './call/screenShare.ts';
import { CallChat } from './chat/CallChat.tsx';
import { EncryptedChat } from './e2ee/EncryptedChat.tsx';
import type { MessageId } from './i18n/locales/en.ts';
import { ExpertAsks } from './experts/ExpertAsks.tsx';
import { useT } from './i18n/useT.ts';
import { Conversation } from './chat/Conversation.tsx';
import { DecisionsPanel } from './decisions/DecisionsPanel.tsx';
import { DecisionsView } from './decisions/DecisionsView.tsx';
import { TranscriptView } from './notes/TranscriptView.tsx';
import { PagesView } from './pages/PagesView.tsx';
import { GuestJoin } from './session/GuestJoin.tsx';
import { Home } from './meetings/Home.tsx';
import { Lobby } from './meetings/Lobby.tsx';
import { usePreviewMedia } from './media/PreviewMediaContext.ts';
import { Search } from './chat/Search.tsx';
import { ServerBanner } from './session/ServerBanner.tsx';
import { SignIn } from './session/SignIn.tsx';
import { useAppStore, type Route } from './store/appStore.ts';
import { useController } from './store/ControllerContext.ts';
import { StatusMenu } from './presence/StatusMenu.tsx';
import { AppAlert } from './ui/AppAlert.tsx';
import { Icon, type IconName } from './ui/Icon.tsx';
import { usePageFocus } from './ui/usePageFocus.ts';
import { preloadable } from './ui/preloadable.tsx';

// The screens that need media (livekit-client and its React components, about half of the
// renderer's JavaScript) load when first opened, so home paints without them.
const callView = preloadable(() => import('./call/CallView.tsx').then((m) => m.CallView), <Loading />);
const CallView = callView.Component;
const preJoin = preloadable(() => import('./meetings/PreJoin.tsx').then((m) => m.PreJoin), <Loading />);
const PreJoin = preJoin.Component;
const Settings = lazy(() => import('./settings/Settings.tsx').then((m) => ({ default: m.Settings })));
const ConnectionTest = lazy(() =>
  import('./diagnostics/ConnectionTest.tsx').then((m) => ({ default: m.ConnectionTest })),
);

function Loading() {
  const t = useT();
  return (
    <main className="call-center" role="status">
      <span className="spinner" aria-hidden="true" /> {t('app.loading')}
    </main>
  );
}

/** Where sign-in points first; IT policy or the user changes it. */
const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

function NavButton({
  route,
  label,
  icon,
}: {
  readonly route: Route;
  readonly label: MessageId;
  readonly icon: IconName;
}) {
  const t = useT();
  const current = useAppStore((s) => s.route.name === route.name);
  const navigate = useAppStore((s) => s.navigate);
  return (
    <button
      type="button"
      className="nav-button"
      aria-current={current ? 'page' : undefined}
      onClick={() => navigate(route)}
    >
      <Icon name={icon} size={18} />
      {t(label)}
    </button>
  );
}

function TopBar() {
  const t = useT();
  const controller = useController();
  const name = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.name : ''));
  const selfId = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  // A guest sees its meeting only: nothing of the organisation to navigate to.
  const guest = useAppStore((s) => s.session.status === 'signedIn' && s.session.info.user.role === 'guest');
  const connection = useAppStore((s) => s.connection);
  return (
    <header className="top-bar">
      <span className="brand">{PRODUCT.productName}</span>
      {guest ? null : (
        <nav aria-label={t('app.nav')}>
          <NavButton route={{ name: 'home' }} label="app.nav.home" icon="grid" />
          <NavButton route={{ name: 'search' }} label="app.nav.search" icon="search" />
          <NavButton route={{ name: 'decisions' }} label="app.nav.decisions" icon="decision" />
          <NavButton route={{ name: 'pages' }} label="app.nav.pages" icon="people" />
          <NavButton route={{ name: 'settings' }} label="app.nav.settings" icon="settings" />
        </nav>
      )}
      <span className="top-bar-end">
        <span
          className="connection-dot"
          data-connection={connection}
          title={t('app.connection', { state: connection })}
          aria-label={t('app.connection', { state: connection })}
          role="img"
        />
        <span className="user-name">{name}</span>
        {guest || selfId === undefined ? null : <StatusMenu userId={selfId} />}
        <button type="button" className="button" onClick={() => void controller.signOut()}>
          {t('app.signOut')}
        </button>
      </span>
    </header>
  );
}

function Page({
  route,
  capture,
  desktop,
}: {
  readonly route: Route;
  readonly capture: ScreenCapture;
  readonly desktop: boolean;
}) {
  return (
    <Suspense fallback={<Loading />}>
      <Screen route={route} capture={capture} desktop={desktop} />
    </Suspense>
  );
}

function Screen({
  route,
  capture,
  desktop,
}: {
  readonly route: Route;
  readonly capture: ScreenCapture;
  readonly desktop: boolean;
}): ReactNode {
  const navigate = useAppStore((s) => s.navigate);
  const showInCallChat = useAppStore((s) => s.showInCallChat);
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'prejoin':
      return <PreJoin codeOrLink={route.codeOrLink} {...(route.title === undefined ? {} : { title: route.title })} />;
    case 'lobby':
      return <Lobby meeting={route.meeting} />;
    case 'call':
      return (
        <CallView
          call={route.call}
          choices={route.choices}
          capture={capture}
          serverBanner={<ServerBanner />}
          chat={
            <CallChat
              meetingConversationId={route.call.meeting.settings.chat ? route.call.meeting.conversationId : null}
              // An encrypted meeting's chat never goes through the server (e2ee/EncryptedChat.tsx).
              {...(route.call.meeting.settings.e2ee ? { meetingChat: <EncryptedChat /> } : {})}
            />
          }
          decisions={<DecisionsPanel meetingId={route.call.meeting.id} />}
          onLeave={() => {
            showInCallChat(null);
            navigate({ name: 'home' });
          }}
        />
      );
    case 'conversation':
      return <Conversation conversationId={route.conversationId} threadOf={route.threadOf} />;
    case 'search':
      return <Search />;
    case 'settings':
      return <Settings desktop={desktop} />;
    case 'connectionTest':
      return <ConnectionTest desktop={desktop} />;
    case 'decisions':
      return <DecisionsView />;
    case 'transcript':
      return <TranscriptView meetingId={route.meetingId} segmentId={route.segmentId} />;
    case 'pages':
      return <PagesView />;
    default: {
      const unreachable: never = route;
      throw new Error(`unknown route ${JSON.stringify(unreachable)}`);
    }
  }
}

/** `desktop`: main is behind the client (the app, or the harness), not the browser client. */
export function App({ capture, desktop }: { readonly capture: ScreenCapture; readonly desktop: boolean }) {
  return (
    <>
      <Screens capture={capture} desktop={desktop} />
      <ExpertAsks />
      <AppAlert />
    </>
  );
}

function Screens({ capture, desktop }: { readonly capture: ScreenCapture; readonly desktop: boolean }) {
  const t = useT();
  const session = useAppStore((s) => s.session);
  const lastServerUrl = useAppStore((s) => s.lastServerUrl);
  const lockedServerUrl = useAppStore((s) => s.managed.values.serverUrl);
  const route = useAppStore((s) => s.route);
  const invite = useAppStore((s) => s.invite);
  usePageFocus(`${session.status}:${route.name}`, PRODUCT.productName);
  // Someone about to join (before the call, or waiting in a lobby) gets the call screen's code
  // meanwhile, so admission opens the call without that wait. A guest's starts with the knock
  // (GuestJoin's `onKnock`): evaluating it while the name form is on screen would hold up the form (B7).
  const aboutToJoin = route.name === 'prejoin' || route.name === 'lobby';
  useEffect(() => {
    if (aboutToJoin) callView.preload().catch(() => undefined);
  }, [aboutToJoin]);
  // Once signed in, pre-join's code follows the first paint, so Join opens it without a wait; not
  // while someone waits in a lobby or is in a call (a guest's knock), where it would compete with
  // the call's start for the page's one thread (B7).
  const preJoinNext = session.status === 'signedIn' && route.name !== 'lobby' && route.name !== 'call';
  useEffect(() => {
    if (preJoinNext) preJoin.preload().catch(() => undefined);
  }, [preJoinNext]);
  // The camera and microphone opened before a call live while a screen before it shows them (a
  // guest's name form, pre-join, the lobby) and pass to the call; anywhere else (cancelled,
  // denied, signed out, gone elsewhere) they stop.
  const media = usePreviewMedia();
  const keepMedia =
    session.status === 'signedOut'
      ? invite !== null
      : session.status === 'signedIn' && (aboutToJoin || route.name === 'call');
  useEffect(() => {
    if (!keepMedia) media.release();
  }, [keepMedia, media]);
  switch (session.status) {
    case 'restoring':
      return (
        <main className="call-center" role="status">
          <span className="spinner" aria-hidden="true" /> {t('app.starting', { product: PRODUCT.productName })}
        </main>
      );
    case 'signedOut':
      return invite !== null ? (
        // The knock starts the call screen's code: the lobby's admission may come within milliseconds.
        <GuestJoin invite={invite} onKnock={() => void callView.preload().catch(() => undefined)} />
      ) : (
        <SignIn
          defaultServerUrl={lockedServerUrl ?? lastServerUrl ?? DEFAULT_SERVER_URL}
          serverLocked={lockedServerUrl !== undefined}
          {...(session.reason === undefined ? {} : { reason: session.reason })}
        />
      );
    case 'signedIn':
      return route.name === 'call' ? (
        <Page route={route} capture={capture} desktop={desktop} />
      ) : (
        <div className="shell">
          <TopBar />
          <ServerBanner />
          {route.name === 'home' && route.notice !== undefined ? (
            <div className="banner" data-tone="info" role="status">
              {route.notice}
            </div>
          ) : null}
          <Page route={route} capture={capture} desktop={desktop} />
        </div>
      );
    default: {
      const unreachable: never = session;
      throw new Error(`unknown session ${JSON.stringify(unreachable)}`);
    }
  }
}
