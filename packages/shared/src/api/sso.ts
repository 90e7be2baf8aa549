import { lazySchema } from '../lazySchema.ts';
/**
 * Single sign-on through an organisation's OpenID Provider (issue 13), and the e-mail domains an
 * organisation proves it owns.
 *
 * Invariants:
 * - The server is the relying party: it holds the client secret (set, never returned), runs the
 *   authorization code flow with PKCE, and verifies the ID token.
 * - Only domains proven by a DNS TXT record route sign-ins and create people; one domain is
 *   verified by at most one organisation.
 * - The app never sees the provider's tokens: after the provider's redirect the server hands the
 *   app a one-time code, bound to the app's own PKCE challenge, which `ssoComplete` exchanges for
 *   the app's ordinary session tokens.
 */
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/** The TXT record value that proves a domain: `tandem-domain-verification=<token>` on the domain itself. */
export const DOMAIN_VERIFICATION_PREFIX = 'tandem-domain-verification=';

/** A DNS name of at least two labels, in lower case (`example.com`, `corp.example.co.uk`). */
export const DomainNameSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, {
      message: 'a domain name such as example.com',
    }),
);

export const DomainStatusSchema = lazySchema(() => z.enum(['pending', 'verified']));

export const OrganisationDomainSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    domain: z.string(),
    status: DomainStatusSchema,
    /** Publish this TXT record on `domain` itself, then ask the server to verify. */
    txtRecord: z.string(),
    createdAt: TimestampSchema,
    verifiedAt: TimestampSchema.nullable(),
  }),
);
export type OrganisationDomain = z.infer<typeof OrganisationDomainSchema>;

export const DomainListSchema = lazySchema(() => z.object({ domains: z.array(OrganisationDomainSchema) }));
export type DomainList = z.infer<typeof DomainListSchema>;

export const AddDomainRequestSchema = lazySchema(() => z.strictObject({ domain: DomainNameSchema }));
export type AddDomainRequest = z.infer<typeof AddDomainRequestSchema>;

/** What an organisation set for single sign-on. The client secret is stored, never shown. */
export const SsoConfigSchema = lazySchema(() =>
  z.object({
    issuer: z.string(),
    clientId: z.string(),
    /** Always true: a configuration cannot exist without its secret. */
    clientSecretSet: z.literal(true),
    /** Whether a verified person of a verified domain without an account gets one at first sign-in. */
    jit: z.boolean(),
    /** Whether password sign-in is refused for e-mail addresses of the organisation's verified domains. */
    required: z.boolean(),
    /** Where the provider must send the browser back: register it with the provider. */
    redirectUri: z.string(),
    updatedAt: TimestampSchema,
  }),
);
export type SsoConfig = z.infer<typeof SsoConfigSchema>;

export const SsoSettingsSchema = lazySchema(() =>
  z.object({ sso: SsoConfigSchema.nullable(), redirectUri: z.string() }),
);
export type SsoSettings = z.infer<typeof SsoSettingsSchema>;

/** `clientSecret` may be left out to keep the stored one; the first configuration needs it. */
export const ConfigureSsoRequestSchema = lazySchema(() =>
  z.strictObject({
    issuer: z.url({ protocol: /^https?$/ }).max(2048),
    clientId: z.string().trim().min(1).max(255),
    clientSecret: z.string().min(1).max(1024).optional(),
    jit: z.boolean(),
    required: z.boolean(),
  }),
);
export type ConfigureSsoRequest = z.infer<typeof ConfigureSsoRequestSchema>;

const Email = lazySchema(() => z.email().max(254));

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
export const CodeVerifierSchema = lazySchema(() =>
  z
    .string()
    .min(43)
    .max(128)
    .regex(/^[A-Za-z0-9._~-]+$/),
);
/** RFC 7636 §4.2 S256: base64url of a SHA-256, 43 characters. */
const CodeChallengeSchema = lazySchema(() =>
  z.string().regex(/^[A-Za-z0-9_-]{43}$/, { message: 'an S256 code challenge' }),
);

export const SsoDiscoverRequestSchema = lazySchema(() => z.strictObject({ email: Email }));
/**
 * How an address signs in: `password` (no single sign-on for its domain), `sso` (offered beside the
 * password) or `sso_required` (password sign-in is refused). Said per domain, never per account.
 */
export const SignInMethodSchema = lazySchema(() => z.enum(['password', 'sso', 'sso_required']));
export type SignInMethod = z.infer<typeof SignInMethodSchema>;
export const SsoDiscoverResultSchema = lazySchema(() => z.object({ method: SignInMethodSchema }));
export type SsoDiscoverResult = z.infer<typeof SsoDiscoverResultSchema>;

/**
 * Starts a sign-in. Exactly one of `email` (its domain chooses the organisation, and it becomes the
 * provider's login hint) and `domain`. `redirectUri` is where the server sends the browser with the
 * one-time code: the app's loopback receiver (`isConsentRedirect`) or the server's own browser
 * client (`<public URL>/app/…`). `state` comes back with it unchanged; `codeChallenge` is
 * S256(verifier) of a verifier the app keeps and shows only to `ssoComplete`.
 */
export const SsoStartRequestSchema = lazySchema(() =>
  z
    .strictObject({
      email: Email.optional(),
      domain: DomainNameSchema.optional(),
      redirectUri: z.string().min(1).max(2048),
      codeChallenge: CodeChallengeSchema,
      state: z
        .string()
        .min(16)
        .max(128)
        .regex(/^[A-Za-z0-9_-]+$/),
    })
    .refine((r) => (r.email === undefined) !== (r.domain === undefined), {
      message: 'give an e-mail address or a domain, not both',
    }),
);
export type SsoStartRequest = z.infer<typeof SsoStartRequestSchema>;

/** Open `authorizationUrl` in the system browser (never in an embedded web view, RFC 8252). */
export const SsoStartResultSchema = lazySchema(() =>
  z.object({ authorizationUrl: z.string(), expiresAt: TimestampSchema }),
);
export type SsoStartResult = z.infer<typeof SsoStartResultSchema>;

export const SsoCompleteRequestSchema = lazySchema(() =>
  z.strictObject({
    code: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/),
    codeVerifier: CodeVerifierSchema,
  }),
);
export type SsoCompleteRequest = z.infer<typeof SsoCompleteRequestSchema>;

/**
 * What the server's redirect to the app carries: `code` and `state` on success; `error` (an
 * `ErrorCode`), `error_description` and `state` on refusal.
 */
export const SSO_REDIRECT_PARAMS = {
  code: 'code',
  state: 'state',
  error: 'error',
  errorDescription: 'error_description',
} as const;

/** What password sign-in answers (code `sso_required`) when the address must use single sign-on. */
export const SSO_REQUIRED = 'your organisation signs in with single sign-on';
