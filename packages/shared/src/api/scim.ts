import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/**
 * SCIM 2.0 (RFC 7643 resources, RFC 7644 protocol) as the server speaks it to an identity
 * provider (Microsoft Entra ID, Okta) that provisions the organisation's people. These are not
 * routes of the ROUTES table: SCIM has its own media type, error shape and bearer (a provisioning
 * token of the organisation, not a person's session). Managing those tokens is ordinary API.
 */
export const SCIM_BASE_PATH = '/scim/v2';
export const SCIM_MEDIA_TYPE = 'application/scim+json';

export const SCIM_SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** RFC 7644 §3.12: the detail error keywords this server uses. */
export const ScimErrorTypeSchema = lazySchema(() =>
  z.enum([
    'invalidFilter',
    'uniqueness',
    'mutability',
    'invalidSyntax',
    'invalidPath',
    'noTarget',
    'invalidValue',
    'tooMany',
  ]),
);
export type ScimErrorType = z.infer<typeof ScimErrorTypeSchema>;

/** Every SCIM refusal: `status` is the HTTP status as a string (RFC 7644 §3.12). */
export const ScimErrorSchema = lazySchema(() =>
  z.object({
    schemas: z.tuple([z.literal(SCIM_SCHEMA.error)]),
    status: z.string().regex(/^[1-5]\d\d$/),
    scimType: ScimErrorTypeSchema.optional(),
    detail: z.string(),
  }),
);
export type ScimError = z.infer<typeof ScimErrorSchema>;

/** Largest page a list answers, whatever `count` asks (RFC 7644 §3.4.2.4 lets the server cap it). */
export const SCIM_MAX_PAGE = 200;
/** Longest filter expression read. */
export const SCIM_MAX_FILTER_CHARS = 1000;

/**
 * Entra ID has sent booleans as the strings "True" and "False" (its documented deviation, still
 * seen without the `aadOptscim062020` flag); both spellings are read as booleans.
 */
export const ScimBooleanSchema = lazySchema(() =>
  z.union([
    z.boolean(),
    z
      .string()
      .regex(/^(true|false)$/i)
      .transform((s) => s.toLowerCase() === 'true'),
  ]),
);

const ScimString = (max: number) => z.string().max(max);

export const ScimEmailSchema = lazySchema(() =>
  z.looseObject({
    value: ScimString(254),
    type: ScimString(64).optional(),
    primary: ScimBooleanSchema.optional(),
  }),
);
export type ScimEmail = z.infer<typeof ScimEmailSchema>;

export const ScimNameSchema = lazySchema(() =>
  z.looseObject({
    givenName: ScimString(100).nullable().optional(),
    familyName: ScimString(100).nullable().optional(),
    formatted: ScimString(200).nullable().optional(),
  }),
);

/**
 * A User as an identity provider sends it (POST, PUT). Attributes this server does not keep
 * (title, phoneNumbers, addresses, locale, the enterprise extension, Okta's `password`) are
 * accepted and ignored, as both Entra ID's and Okta's default mappings send some of them; the
 * Schemas endpoint says which attributes are kept.
 */
export const ScimUserInputSchema = lazySchema(() =>
  z.looseObject({
    schemas: z.array(z.string()).refine((s) => s.includes(SCIM_SCHEMA.user), {
      message: `schemas must include ${SCIM_SCHEMA.user}`,
    }),
    userName: ScimString(254).trim().min(1),
    externalId: ScimString(200).nullable().optional(),
    name: ScimNameSchema.nullable().optional(),
    displayName: ScimString(200).nullable().optional(),
    emails: z.array(ScimEmailSchema).max(20).nullable().optional(),
    active: ScimBooleanSchema.optional(),
  }),
);
export type ScimUserInput = z.infer<typeof ScimUserInputSchema>;

/** RFC 7644 §3.5.2. Entra ID capitalises `op` ("Replace"); operation names are case-insensitive. */
export const ScimPatchOperationSchema = lazySchema(() =>
  z.looseObject({
    op: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(['add', 'replace', 'remove'])),
    path: z.string().min(1).max(500).optional(),
    value: z.unknown().optional(),
  }),
);
export type ScimPatchOperation = z.infer<typeof ScimPatchOperationSchema>;

export const ScimPatchRequestSchema = lazySchema(() =>
  z.looseObject({
    schemas: z.array(z.string()).refine((s) => s.includes(SCIM_SCHEMA.patchOp), {
      message: `schemas must include ${SCIM_SCHEMA.patchOp}`,
    }),
    Operations: z.array(ScimPatchOperationSchema).min(1).max(100),
  }),
);
export type ScimPatchRequest = z.infer<typeof ScimPatchRequestSchema>;

/** `startIndex` is 1-based; below 1 is read as 1, a negative `count` as 0 (RFC 7644 §3.4.2.4). */
export const ScimListQuerySchema = lazySchema(() =>
  z.looseObject({
    filter: z.string().max(SCIM_MAX_FILTER_CHARS).optional(),
    startIndex: z.coerce
      .number()
      .int()
      .optional()
      .transform((n) => Math.max(1, n ?? 1)),
    count: z.coerce
      .number()
      .int()
      .optional()
      .transform((n) => Math.min(SCIM_MAX_PAGE, Math.max(0, n ?? SCIM_MAX_PAGE))),
  }),
);
export type ScimListQuery = z.infer<typeof ScimListQuerySchema>;

/** A User as this server answers it. */
export const ScimUserSchema = lazySchema(() =>
  z.object({
    schemas: z.tuple([z.literal(SCIM_SCHEMA.user)]),
    id: IdSchema,
    externalId: z.string().optional(),
    userName: z.string(),
    name: z.object({
      givenName: z.string().optional(),
      familyName: z.string().optional(),
      formatted: z.string().optional(),
    }),
    displayName: z.string(),
    emails: z.array(z.object({ value: z.string(), type: z.literal('work'), primary: z.literal(true) })),
    active: z.boolean(),
    meta: z.object({
      resourceType: z.literal('User'),
      created: TimestampSchema,
      lastModified: TimestampSchema,
      location: z.string(),
    }),
  }),
);
export type ScimUser = z.infer<typeof ScimUserSchema>;

export const ScimUserListSchema = lazySchema(() =>
  z.object({
    schemas: z.tuple([z.literal(SCIM_SCHEMA.listResponse)]),
    totalResults: z.number().int().nonnegative(),
    startIndex: z.number().int().positive(),
    itemsPerPage: z.number().int().nonnegative(),
    Resources: z.array(ScimUserSchema),
  }),
);
export type ScimUserList = z.infer<typeof ScimUserListSchema>;

// ---- Provisioning tokens: ordinary API for owners and admins ----

/** A provisioning token as listed: never the secret, which is shown once when it is made. */
export const ScimTokenSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    label: z.string(),
    /** The secret's first characters, so an administrator can tell which token an IdP holds. */
    prefix: z.string(),
    createdAt: TimestampSchema,
    createdBy: z.object({ id: IdSchema, name: z.string() }),
    lastUsedAt: TimestampSchema.nullable(),
  }),
);
export type ScimToken = z.infer<typeof ScimTokenSchema>;

export const ScimTokenListSchema = lazySchema(() =>
  z.object({
    /** The SCIM endpoint to give the identity provider (Entra ID's "Tenant URL", Okta's "SCIM connector base URL"). */
    baseUrl: z.string(),
    tokens: z.array(ScimTokenSchema),
  }),
);
export type ScimTokenList = z.infer<typeof ScimTokenListSchema>;

export const CreateScimTokenRequestSchema = lazySchema(() =>
  z.strictObject({
    label: z.string().trim().min(1).max(100),
  }),
);
export type CreateScimTokenRequest = z.infer<typeof CreateScimTokenRequestSchema>;

/** The secret appears here once; only its hash is stored. */
export const CreatedScimTokenSchema = lazySchema(() =>
  z.object({
    token: ScimTokenSchema,
    secret: z.string(),
    baseUrl: z.string(),
  }),
);
export type CreatedScimToken = z.infer<typeof CreatedScimTokenSchema>;

export const ScimTokenParamsSchema = lazySchema(() => z.object({ tokenId: IdSchema }));

/**
 * What password sign-in answers (code `forbidden`) for a person who has no password: provisioned
 * by the organisation's identity provider, they sign in through it.
 */
export const SIGN_IN_WITH_SSO = 'this account signs in with single sign-on; it has no password';
