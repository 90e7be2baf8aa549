import { SCIM_MAX_PAGE, SCIM_SCHEMA } from '@tandem/shared';

/**
 * SCIM's discovery documents (RFC 7644 §4, RFC 7643 §5-7): what this server supports, so an
 * identity provider (and an administrator reading them) knows that Users are provisioned, with
 * filters and PATCH, and that Groups, bulk, sorting, ETags and password changes are not.
 */

type Attribute = {
  readonly name: string;
  readonly type: 'string' | 'boolean' | 'complex';
  readonly multiValued: boolean;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: 'readOnly' | 'readWrite';
  readonly returned: 'always' | 'default';
  readonly uniqueness: 'none' | 'server';
  readonly description: string;
  readonly subAttributes?: readonly Attribute[];
};

const attribute = (
  name: string,
  description: string,
  more: Partial<Omit<Attribute, 'name' | 'description'>> = {},
): Attribute => ({
  name,
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  description,
  ...more,
});

/** The User attributes this server keeps; others a provider sends are accepted and ignored. */
const USER_ATTRIBUTES: readonly Attribute[] = [
  attribute('userName', "The identity provider's name for the person, unique in the organisation.", {
    required: true,
    uniqueness: 'server',
  }),
  attribute('externalId', "The identity provider's identifier of the person.", { caseExact: true }),
  attribute('name', 'The person’s name.', {
    type: 'complex',
    subAttributes: [
      attribute('givenName', 'Given name.'),
      attribute('familyName', 'Family name.'),
      attribute('formatted', 'Given and family name together.'),
    ],
  }),
  attribute('displayName', 'The name shown in the app (from the given and family names when absent).'),
  attribute('emails', 'One address: the primary, else the work address, else the userName.', {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attribute('value', 'The address; unique across the server.'),
      attribute('type', 'Always work in answers.'),
      attribute('primary', 'Always true in answers.', { type: 'boolean' }),
    ],
  }),
  attribute('active', 'False deactivates the person: every session and connection ends at once.', {
    type: 'boolean',
  }),
];

export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SCIM_SCHEMA.serviceProviderConfig],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Provisioning token',
        description: 'Authorization: Bearer <token>, a provisioning token an owner or admin made in the app',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function userResourceType(baseUrl: string) {
  return {
    schemas: [SCIM_SCHEMA.resourceType],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'People of the organisation',
    schema: SCIM_SCHEMA.user,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
  };
}

export function userSchema(baseUrl: string) {
  return {
    schemas: [SCIM_SCHEMA.schema],
    id: SCIM_SCHEMA.user,
    name: 'User',
    description: 'A person of the organisation',
    attributes: USER_ATTRIBUTES,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${SCIM_SCHEMA.user}` },
  };
}

/** A ListResponse of everything at once (discovery lists are never paged). */
export function listOf<T>(resources: readonly T[]) {
  return {
    schemas: [SCIM_SCHEMA.listResponse],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
