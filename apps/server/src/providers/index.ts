/** Provider adapters for linked Teams, Zoom and Google Meet meetings; see README.md here. */
export {
  createProviderRegistry,
  oauthClientFor,
  type CreatedLinkedMeeting,
  type OAuthProviderId,
  type ProviderRegistry,
  type ProvidersConfig,
} from './registry.ts';
export {
  createTokenVault,
  inMemoryCredentialStore,
  openText,
  sealText,
  parseVaultKeyring,
  ProviderCredentialsSchema,
  type CredentialKey,
  type CredentialStore,
  type ProviderCredentials,
  type SealedCredentials,
  type TokenVault,
  type VaultKeyring,
} from './tokenVault.ts';
export { newPkce, pkceChallenge, type Pkce } from './oauth.ts';
export { ProviderError, providerErrorToApi, type ProviderErrorCode, type ProviderId } from './providerError.ts';
export {
  ProviderMeetingSchema,
  type CalendarChange,
  type CreateMeetingInput,
  type UpdateMeetingInput,
  type MeetingPlatform,
  type MeetingProvider,
  type ProviderEvent,
  type ProviderMeeting,
  type TimeWindow,
} from './model.ts';
export { linkedMeetingOf } from './linkedMeeting.ts';
export { calendarEntries, type CalendarEntry } from './calendar.ts';
export {
  createGraphSubscription,
  graphValidationResponse,
  handleGraphWebhook,
  parseGraphNotifications,
  renewGraphSubscription,
  sameSecret,
  type GraphWebhookResult,
  type GraphChange,
  type GraphSubscription,
  type WebhookReply,
} from './microsoftGraph.ts';
export {
  handleZoomWebhook,
  verifyZoomSignature,
  type LinkedMeetingStateChange,
  type ZoomWebhookResult,
} from './zoomWebhook.ts';
export { ianaZone, windowsZone } from './windowsZones.ts';
export { planSipBridge, type SipBridgePlan, type SipBridgeRequest } from './sipBridge.ts';
