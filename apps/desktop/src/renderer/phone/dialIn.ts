import { formatPin, parseSipAddress, type AudioBridge, type DialInDetails } from '@tandem/shared';
import type { Translate } from '../i18n/useT.ts';

/** A number as people read it: `+44 207 123 0001` from `+442071230001` (country code, then groups ending in four). */
export function spacedNumber(e164: string): string {
  const digits = e164.replace(/^\+/, '');
  const country = digits.startsWith('1') || digits.startsWith('7') ? 1 : 2;
  const rest = digits.slice(country);
  const head = rest.length > 7 ? [rest.slice(0, rest.length - 7)] : [];
  const tail = rest.length > 7 ? rest.slice(-7) : rest;
  const groups = [...head, ...(tail.length > 4 ? [tail.slice(0, -4)] : []), tail.slice(-4)];
  return `+${digits.slice(0, country)} ${groups.join(' ')}`;
}

/** The "Join by phone" lines of an invitation; none when the meeting cannot be called. */
export function dialInLines(details: DialInDetails | null): string[] {
  if (details === null || !details.available || details.pin === null) return [];
  return [
    '',
    'Join by phone',
    ...details.numbers.map((n) => `${spacedNumber(n.number)}${n.label === '' ? '' : ` (${n.label})`}`),
    `PIN: ${formatPin(details.pin)} #`,
  ];
}

/** Where the audio bridge stands, which number or room connector it calls, and which connector refused it first. */
export function bridgeText(t: Translate, bridge: AudioBridge | undefined): string {
  if (bridge === undefined) return t('phone.bridge.reading');
  const status = bridgeStatus(t, bridge);
  if (bridge.state === 'off' || bridge.fellBackFrom === null) return status;
  return `${status} ${t('phone.bridge.fellBack', { address: bridge.fellBackFrom.replace(/^sip:/i, '') })}`;
}

function bridgeStatus(t: Translate, bridge: AudioBridge): string {
  // A room connector's SIP address is shown as the invitation prints it (without `sip:`).
  const sip = bridge.to !== null && parseSipAddress(bridge.to) !== undefined;
  const shown = bridge.to === null ? '' : sip ? bridge.to.replace(/^sip:/i, '') : spacedNumber(bridge.to);
  switch (bridge.state) {
    case 'off':
      return t('phone.bridge.off');
    case 'dialling':
      if (bridge.to === null) return t('phone.bridge.diallingLinked');
      return sip ? t('phone.bridge.callingAddress', { address: shown }) : t('phone.bridge.dialling', { number: shown });
    case 'connected':
      if (bridge.to === null) return t('phone.bridge.connected');
      return sip
        ? t('phone.bridge.connectedToAddress', { address: shown })
        : t('phone.bridge.connectedTo', { number: shown });
    default: {
      const never: never = bridge.state;
      return never;
    }
  }
}
