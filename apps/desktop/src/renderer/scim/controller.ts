import type { CreatedScimToken, ScimTokenList, TandemClient } from '@tandem/shared';
import { createContext, useContext } from 'react';

/** What Settings → Provisioning asks of main: the organisation's SCIM tokens (owners and admins). */
export type ScimController = {
  list(): Promise<ScimTokenList>;
  create(label: string): Promise<CreatedScimToken>;
  revoke(tokenId: string): Promise<void>;
};

export function createScimController(
  client: Pick<TandemClient, 'scimTokens' | 'scimCreateToken' | 'scimRevokeToken'>,
): ScimController {
  return {
    list: () => client.scimTokens({ params: {}, body: {} }),
    create: (label) => client.scimCreateToken({ params: {}, body: { label } }),
    revoke: async (tokenId) => void (await client.scimRevokeToken({ params: { tokenId }, body: {} })),
  };
}

/** Provided by the composition root (`main.tsx`) with `createScimController(client)`. */
export const ScimControllerContext = createContext<ScimController | undefined>(undefined);

export function useScimController(): ScimController {
  const controller = useContext(ScimControllerContext);
  if (controller === undefined) throw new Error('useScimController must be used inside ScimControllerContext');
  return controller;
}
