import { typedDialOutTarget, type AudioBridge } from '@tandem/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { useT } from '../i18n/useT.ts';
import { errorText } from '../ui/errorText.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { bridgeText } from './dialIn.ts';
import './phone.css';

/** How often the bridge's state is read while the panel is open (it changes at the far end). */
const BRIDGE_POLL_MS = 3000;

/**
 * The hosts' phone controls in a call: call a phone into the meeting, and the audio bridge into
 * the linked Teams, Zoom or Meet meeting (start, stop, where it stands).
 */
export function PhonePanel({ meetingId }: { readonly meetingId: string }) {
  const t = useT();
  const client = useClient();
  const numberId = useId();
  const [number, setNumber] = useState('');
  const [called, setCalled] = useState('');
  const [bridge, setBridge] = useState<AudioBridge | undefined>();
  const [bridgeProblem, setBridgeProblem] = useState<string | undefined>();
  const params = { meetingId };

  const readBridge = useCallback(async () => {
    try {
      setBridge(await client.phoneBridge({ params: { meetingId }, body: {} }));
    } catch (e) {
      setBridgeProblem(errorText(e));
    }
  }, [client, meetingId]);
  useEffect(() => {
    void readBridge();
    const timer = setInterval(() => void readBridge(), BRIDGE_POLL_MS);
    return () => clearInterval(timer);
  }, [readBridge]);

  const [call, calling] = useAsyncAction(async () => {
    setCalled('');
    const to = typedDialOutTarget(number);
    if (!to.success) throw new Error(t('phone.call.invalid'));
    const answer = await client.phoneDialOut({ params, body: { to: to.data } });
    setCalled(t('phone.call.calling', { name: answer.name }));
    setNumber('');
  });
  const [startBridge, starting] = useAsyncAction(async () => {
    setBridgeProblem(undefined);
    setBridge(await client.phoneStartBridge({ params, body: {} }));
  });
  const [stopBridge, stopping] = useAsyncAction(async () => {
    setBridgeProblem(undefined);
    setBridge(await client.phoneStopBridge({ params, body: {} }));
  });
  const bridgeError = bridgeProblem ?? starting.error ?? stopping.error;

  return (
    <>
      <h3>{t('phone.title')}</h3>
      <form
        className="row phone-call"
        onSubmit={(e) => {
          e.preventDefault();
          void call();
        }}
      >
        <div className="field">
          <label htmlFor={numberId}>{t('phone.call.label')}</label>
          <input
            id={numberId}
            type="text"
            autoComplete="off"
            value={number}
            placeholder={t('phone.call.example')}
            onChange={(e) => setNumber(e.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={calling.busy || number.trim() === ''}>
          {calling.busy ? t('phone.call.busy') : t('phone.call')}
        </button>
      </form>
      {calling.error === undefined ? null : (
        <p className="error" role="alert">
          {calling.error}
        </p>
      )}
      <p role="status" className="hint">
        {called}
      </p>
      <h4>{t('phone.bridge.title')}</h4>
      <p role="status">{bridgeText(t, bridge)}</p>
      {bridgeError === undefined ? null : (
        <p className="error" role="alert">
          {bridgeError}
        </p>
      )}
      <div className="collab-actions">
        {bridge?.state === 'off' || bridge === undefined ? (
          <button type="button" className="button" disabled={starting.busy} onClick={() => void startBridge()}>
            {starting.busy ? t('phone.bridge.starting') : t('phone.bridge.start')}
          </button>
        ) : (
          <button type="button" className="button" disabled={stopping.busy} onClick={() => void stopBridge()}>
            {stopping.busy ? t('phone.bridge.stopping') : t('phone.bridge.stop')}
          </button>
        )}
      </div>
    </>
  );
}
