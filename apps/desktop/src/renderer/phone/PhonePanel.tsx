import { E164Schema, type AudioBridge } from '@tandem/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { errorText } from '../ui/errorText.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { spacedNumber } from './dialIn.ts';
import './phone.css';

/** How often the bridge's state is read while the panel is open (it changes at the far end). */
const BRIDGE_POLL_MS = 3000;

function bridgeText(bridge: AudioBridge | undefined): string {
  if (bridge === undefined) return 'Reading the audio bridge…';
  switch (bridge.state) {
    case 'off':
      return 'Off: the linked meeting does not hear this one.';
    case 'dialling':
      return `Dialling ${bridge.number === null ? 'the linked meeting' : spacedNumber(bridge.number)}…`;
    case 'connected':
      return `Connected to the linked meeting's phone bridge${bridge.number === null ? '' : ` (${spacedNumber(bridge.number)})`}.`;
    default: {
      const never: never = bridge.state;
      return never;
    }
  }
}

/**
 * The hosts' phone controls in a call: call a phone into the meeting, and the audio bridge into
 * the linked Teams, Zoom or Meet meeting (start, stop, where it stands).
 */
export function PhonePanel({ meetingId }: { readonly meetingId: string }) {
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
    const to = E164Schema.safeParse(number.replace(/[\s().-]/g, ''));
    if (!to.success) throw new Error('Type the number with its country code: + then 8 to 15 digits.');
    const answer = await client.phoneDialOut({ params, body: { to: to.data } });
    setCalled(`Calling ${answer.name}: they join when they answer.`);
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
      <h3>Phone</h3>
      <form
        className="row phone-call"
        onSubmit={(e) => {
          e.preventDefault();
          void call();
        }}
      >
        <div className="field">
          <label htmlFor={numberId}>Call a phone into the meeting</label>
          <input
            id={numberId}
            type="tel"
            value={number}
            placeholder="+44 7700 900123"
            onChange={(e) => setNumber(e.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={calling.busy || number.trim() === ''}>
          {calling.busy ? 'Calling…' : 'Call'}
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
      <h4>Audio bridge to the linked meeting</h4>
      <p role="status">{bridgeText(bridge)}</p>
      {bridgeError === undefined ? null : (
        <p className="error" role="alert">
          {bridgeError}
        </p>
      )}
      <div className="collab-actions">
        {bridge?.state === 'off' || bridge === undefined ? (
          <button type="button" className="button" disabled={starting.busy} onClick={() => void startBridge()}>
            {starting.busy ? 'Starting…' : 'Start audio bridge'}
          </button>
        ) : (
          <button type="button" className="button" disabled={stopping.busy} onClick={() => void stopBridge()}>
            {stopping.busy ? 'Stopping…' : 'Stop audio bridge'}
          </button>
        )}
      </div>
    </>
  );
}
