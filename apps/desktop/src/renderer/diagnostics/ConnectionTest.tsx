import type { ConnectionCheck, ConnectionFailure } from '@tandem/shared';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { runConnectionTest, waitingChecks, type CheckView } from './connectionTest.ts';
import { pageProbes } from './probes.ts';
import './connectionTest.css';

const CHECK_NAMES: Readonly<Record<ConnectionCheck, MessageId>> = {
  server: 'diagnostics.check.server',
  websocket: 'diagnostics.check.websocket',
  livekit: 'diagnostics.check.livekit',
  media: 'diagnostics.check.media',
  relay: 'diagnostics.check.relay',
  camera: 'diagnostics.check.camera',
  microphone: 'diagnostics.check.microphone',
};

const FAILURES: Readonly<Record<ConnectionFailure, MessageId>> = {
  not_signed_in: 'diagnostics.failure.not_signed_in',
  unreachable: 'diagnostics.failure.unreachable',
  timeout: 'diagnostics.failure.timeout',
  unexpected_answer: 'diagnostics.failure.unexpected_answer',
  unhealthy: 'diagnostics.failure.unhealthy',
  no_media_path: 'diagnostics.failure.no_media_path',
  relay_not_offered: 'diagnostics.failure.relay_not_offered',
  no_relay: 'diagnostics.failure.no_relay',
  no_device: 'diagnostics.failure.no_device',
  denied: 'diagnostics.failure.denied',
  device_failed: 'diagnostics.failure.device_failed',
};

function CheckRow({ view }: { readonly view: CheckView }) {
  const t = useT();
  const status = (() => {
    switch (view.state) {
      case 'waiting':
        return t('diagnostics.state.waiting');
      case 'running':
        return t('diagnostics.state.running');
      case 'passed':
        return view.detail === undefined
          ? t('diagnostics.state.passed', { ms: view.ms })
          : t('diagnostics.state.passedWith', { ms: view.ms, detail: view.detail });
      case 'failed':
        return t('diagnostics.state.failed', { reason: t(FAILURES[view.reason]) });
      case 'skipped':
        return t('diagnostics.state.skipped');
    }
  })();
  return (
    <li className={`check check-${view.state}`} data-check={view.check} data-state={view.state}>
      <span className="check-mark" aria-hidden="true">
        {view.state === 'running' ? <span className="spinner" /> : null}
      </span>
      <span className="check-name">{t(CHECK_NAMES[view.check])}</span>
      <span className="check-status">{status}</span>
    </li>
  );
}

/**
 * Help → Connection test, like Teams' and Zoom's: the server, its WebSocket, LiveKit signalling,
 * the media path, the TURN relay and the devices, each with its progress and result. It runs as
 * the screen opens and on Run again; each run is kept by main for Collect logs.
 */
export function ConnectionTest({ desktop }: { readonly desktop: boolean }) {
  const t = useT();
  const client = useClient();
  const navigate = useAppStore((s) => s.navigate);
  const id = useId();
  const [views, setViews] = useState<readonly CheckView[]>(waitingChecks);
  const [finished, setFinished] = useState(false);
  const mounted = useRef(true);
  const [run, state] = useAsyncAction(
    useCallback(async () => {
      setFinished(false);
      const results = await runConnectionTest(pageProbes(client), (next) => {
        if (mounted.current) setViews(next);
      });
      if (mounted.current) setFinished(true);
      await client.diagnosticsKeepConnectionTest({ at: new Date().toISOString(), results });
    }, [client]),
  );
  useEffect(() => {
    mounted.current = true;
    void run();
    return () => {
      mounted.current = false;
    };
  }, [run]);
  const failed = views.filter((v) => v.state === 'failed').length;
  return (
    <main className="connection-test" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('diagnostics.title')}</h1>
      <p className="hint">
        {desktop ? `${t('diagnostics.hint')} ${t('diagnostics.hintKept')}` : t('diagnostics.hint')}
      </p>
      <ol className="checks" aria-label={t('diagnostics.checks')} aria-busy={state.busy}>
        {views.map((view) => (
          <CheckRow key={view.check} view={view} />
        ))}
      </ol>
      <p role="status" className="check-summary">
        {finished
          ? failed === 0
            ? t('diagnostics.summary.passed')
            : t('diagnostics.summary.failed', { count: failed })
          : state.busy
            ? t('diagnostics.summary.running')
            : ''}
      </p>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {t('diagnostics.notKept', { reason: state.error })}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button button-primary" disabled={state.busy} onClick={() => void run()}>
          {state.busy ? t('diagnostics.running') : t('diagnostics.runAgain')}
        </button>
        <button type="button" className="button" onClick={() => navigate({ name: 'settings' })}>
          {t('diagnostics.back')}
        </button>
      </div>
    </main>
  );
}
