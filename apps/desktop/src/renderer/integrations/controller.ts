import type {
  ApiKey,
  ApiKeyScope,
  CreatedApiKey,
  CreatedWebhook,
  TandemClient,
  WebhookAttempt,
  WebhookEndpoint,
  WebhookEventType,
} from '@tandem/shared';
import { createContext, useContext } from 'react';

/** What Settings → Integrations asks of main; each call is forwarded to the server's route. */
export type IntegrationsController = {
  keys(): Promise<readonly ApiKey[]>;
  createKey(name: string, scopes: readonly ApiKeyScope[]): Promise<CreatedApiKey>;
  revokeKey(apiKeyId: string): Promise<void>;
  webhooks(): Promise<readonly WebhookEndpoint[]>;
  createWebhook(url: string, events: readonly WebhookEventType[], description: string): Promise<CreatedWebhook>;
  setWebhookEnabled(webhookId: string, enabled: boolean): Promise<WebhookEndpoint>;
  deleteWebhook(webhookId: string): Promise<void>;
  deliveries(webhookId: string): Promise<readonly WebhookAttempt[]>;
};

export function createIntegrationsController(
  client: Pick<
    TandemClient,
    | 'integrationsListKeys'
    | 'integrationsCreateKey'
    | 'integrationsRevokeKey'
    | 'integrationsListWebhooks'
    | 'integrationsCreateWebhook'
    | 'integrationsUpdateWebhook'
    | 'integrationsDeleteWebhook'
    | 'integrationsWebhookLog'
  >,
): IntegrationsController {
  return {
    keys: async () => (await client.integrationsListKeys({ params: {}, body: {} })).apiKeys,
    createKey: (name, scopes) => client.integrationsCreateKey({ params: {}, body: { name, scopes: [...scopes] } }),
    revokeKey: async (apiKeyId) => void (await client.integrationsRevokeKey({ params: { apiKeyId }, body: {} })),
    webhooks: async () => (await client.integrationsListWebhooks({ params: {}, body: {} })).endpoints,
    createWebhook: (url, events, description) =>
      client.integrationsCreateWebhook({ params: {}, body: { url, events: [...events], description } }),
    setWebhookEnabled: (webhookId, enabled) =>
      client.integrationsUpdateWebhook({ params: { webhookId }, body: { enabled } }),
    deleteWebhook: async (webhookId) =>
      void (await client.integrationsDeleteWebhook({ params: { webhookId }, body: {} })),
    deliveries: async (webhookId) =>
      (await client.integrationsWebhookLog({ params: { webhookId }, body: {}, query: {} })).attempts,
  };
}

/** Provided by the composition root (`main.tsx`); a test may provide its own. */
export const IntegrationsControllerContext = createContext<IntegrationsController | undefined>(undefined);

export function useIntegrationsController(): IntegrationsController {
  const controller = useContext(IntegrationsControllerContext);
  if (controller === undefined) throw new Error('IntegrationsControllerContext is not provided');
  return controller;
}
