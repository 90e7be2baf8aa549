import type { ConnectionScope, OAuthProviderId, ProviderId, ProviderList } from '@tandem/shared';

/** One provider's row in Settings: what it is connected for, and what this person may do about it. */
export type AccountRow = {
  readonly provider: ProviderId;
  readonly name: string;
  /** False: the server has no settings for it, so nothing can be connected. */
  readonly offered: boolean;
  readonly connected: readonly ConnectionScope[];
  /** Consents this person may start: OAuth providers only, each scope not yet connected. */
  readonly consents: readonly { readonly provider: OAuthProviderId; readonly scope: ConnectionScope }[];
  /** Zoom's Server-to-Server form: organisation owners and admins, while Zoom is offered and not connected. */
  readonly zoomForm: boolean;
  /** Connections this person may disconnect: the organisation's only for owners and admins. */
  readonly revocable: readonly ConnectionScope[];
};

/** How people name the account they connect (not the meeting app: Google also gives the calendar). */
export function accountName(provider: ProviderId): string {
  switch (provider) {
    case 'microsoft':
      return 'Microsoft 365';
    case 'google':
      return 'Google';
    case 'zoom':
      return 'Zoom';
    default: {
      const unreachable: never = provider;
      return unreachable;
    }
  }
}

/** Zoom apps belong to an organisation, so Zoom has no personal connection. */
const SCOPES: { readonly [P in ProviderId]: readonly ConnectionScope[] } = {
  microsoft: ['organisation', 'user'],
  google: ['organisation', 'user'],
  zoom: ['organisation'],
};

export function accountRows(list: ProviderList, admin: boolean): readonly AccountRow[] {
  return list.providers.map(({ provider, offered }) => {
    const connected = SCOPES[provider].filter((scope) =>
      list.connections.some((c) => c.provider === provider && c.scope === scope),
    );
    const mayAct = (scope: ConnectionScope) => admin || scope === 'user';
    const open = SCOPES[provider].filter((scope) => offered && mayAct(scope) && !connected.includes(scope));
    return {
      provider,
      name: accountName(provider),
      offered,
      connected,
      consents: provider === 'zoom' ? [] : open.map((scope) => ({ provider, scope })),
      zoomForm: provider === 'zoom' && open.includes('organisation'),
      revocable: connected.filter(mayAct),
    };
  });
}
