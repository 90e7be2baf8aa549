import type { ProviderList } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { accountRows } from './accounts.ts';

const AT = '2026-11-26T10:00:00.000Z';

const LIST: ProviderList = {
  providers: [
    { provider: 'microsoft', offered: true },
    { provider: 'zoom', offered: true },
    { provider: 'google', offered: false },
  ],
  connections: [
    { provider: 'microsoft', scope: 'organisation', connectedAt: AT },
    { provider: 'google', scope: 'user', connectedAt: AT },
  ],
};

describe('the provider accounts shown in Settings', () => {
  it('lets an admin connect what is offered and not connected, and disconnect what is', () => {
    const [microsoft, zoom, google] = accountRows(LIST, true);
    expect(microsoft).toMatchObject({
      name: 'Microsoft 365',
      connected: ['organisation'],
      consents: [{ provider: 'microsoft', scope: 'user' }],
      zoomForm: false,
      revocable: ['organisation'],
    });
    expect(zoom).toMatchObject({ connected: [], consents: [], zoomForm: true, revocable: [] });
    // Not offered: nothing new can start, yet a connection made before can still be removed.
    expect(google).toMatchObject({ offered: false, connected: ['user'], consents: [], revocable: ['user'] });
  });

  it("keeps the organisation's accounts to owners and admins", () => {
    const [microsoft, zoom] = accountRows(LIST, false);
    expect(microsoft).toMatchObject({ consents: [{ provider: 'microsoft', scope: 'user' }], revocable: [] });
    expect(zoom).toMatchObject({ zoomForm: false, revocable: [] });
  });
});
