import {
  SCIM_BASE_PATH,
  SCIM_SCHEMA,
  ScimBooleanSchema,
  ScimEmailSchema,
  ScimNameSchema,
  UserSchema,
  type AuditActor,
  type CreatedScimToken,
  type CreateScimTokenRequest,
  type RequestOrigin,
  type ScimErrorType,
  type ScimListQuery,
  type ScimPatchOperation,
  type ScimPatchRequest,
  type ScimTokenList,
  type ScimUser,
  type ScimUserInput,
  type ScimUserList,
  type User,
} from '@tandem/shared';
import { z } from 'zod';
import { isUniqueViolation, type Directory, type DirectoryPerson, type Store, type UserPatch } from '../store/index.ts';
import { ADDRESS_REFUSED, hashToken, newToken, NO_PASSWORD } from './auth.ts';
import type { AuditService } from './audit.ts';
import { type Caller, isOrgAdmin, newId, nowIso, personTarget } from './context.ts';
import { forbidden, found } from './errors.ts';
import type { PeopleService, Provisioner } from './people.ts';
import {
  elementMatches,
  FilterError,
  impliedBy,
  matches,
  narrowingOf,
  parseFilter,
  parsePatchPath,
  type AttrPath,
  type Filter,
  type FilterRecord,
  type PatchPath,
  type Scalar,
} from './scimFilter.ts';

/** A refusal in SCIM's terms (RFC 7644 §3.12); the SCIM HTTP layer answers it in SCIM's error shape. */
export class ScimProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: ScimErrorType,
  ) {
    super(message);
    this.name = 'ScimProblem';
  }
}

/** Whoever presents a working provisioning token: the organisation's identity provider, as the audit log names it. */
export type ScimClient = Provisioner & { readonly tokenId: string };

/** How a provisioning token appears in the audit log, as actor or target. */
const tokenLabel = (label: string, prefix: string): string => `${label} (${prefix}…)`;

/** Every secret starts so, which tells people and secret scanners what it is. */
const SECRET_PREFIX = 'tscim_';
/** How much of a secret the token list shows: the prefix and six characters of the secret part. */
const SHOWN_CHARS = SECRET_PREFIX.length + 6;

/** Core User attributes (RFC 7643 §4.1) this server does not keep: PATCH operations on them are ignored. */
const NOT_KEPT = new Set([
  'nickname',
  'profileurl',
  'title',
  'usertype',
  'preferredlanguage',
  'locale',
  'timezone',
  'password',
  'phonenumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509certificates',
]);
const NAME_NOT_KEPT = new Set(['middlename', 'honorificprefix', 'honorificsuffix']);

type Email = { value: string; type: string | null; primary: boolean };

/** A User being changed: what SCIM says of it, before it is settled into a person. */
type Draft = {
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  /** Only what a request sent; the person keeps no separate formatted name. */
  formatted: string | null;
  /** Null: the name is made from the given and family names. */
  displayName: string | null;
  emails: Email[];
  active: boolean;
};

const isAddress = (s: string): boolean => UserSchema.shape.email.safeParse(s).success && s.length <= 254;
const blankToNull = (s: string | null | undefined): string | null => (s == null || s.trim() === '' ? null : s.trim());
const nameFrom = (given: string | null, family: string | null): string => `${given ?? ''} ${family ?? ''}`.trim();

function draftOf(p: DirectoryPerson): Draft {
  return {
    userName: p.userName,
    externalId: p.externalId,
    givenName: p.givenName,
    familyName: p.familyName,
    formatted: null,
    displayName: nameFrom(p.givenName, p.familyName) === p.user.name ? null : p.user.name,
    emails: [{ value: p.user.email, type: 'work', primary: true }],
    active: p.user.status === 'active',
  };
}

/** POST and PUT: the body is the whole User; `active` left out keeps what it was (true for a new one). */
function draftFrom(input: ScimUserInput, active: boolean): Draft {
  return {
    userName: input.userName,
    externalId: blankToNull(input.externalId),
    givenName: blankToNull(input.name?.givenName),
    familyName: blankToNull(input.name?.familyName),
    formatted: blankToNull(input.name?.formatted),
    displayName: blankToNull(input.displayName),
    emails: (input.emails ?? []).map(emailOf),
    active: input.active ?? active,
  };
}

const emailOf = (e: z.infer<typeof ScimEmailSchema>): Email => ({
  value: e.value.trim(),
  type: e.type ?? null,
  primary: e.primary ?? false,
});

/** What a draft makes of the person: one e-mail (primary, else work, else the first, else the userName). */
function settle(d: Draft): { email: string; name: string; directory: Directory; active: boolean } {
  const chosen =
    d.emails.find((e) => e.primary) ??
    d.emails.find((e) => e.type?.toLowerCase() === 'work') ??
    d.emails.find((e) => e.value !== '');
  const email = (chosen?.value ?? (isAddress(d.userName) ? d.userName : '')).toLowerCase();
  if (email === '')
    throw new ScimProblem(400, 'a person needs an e-mail address: in emails, or as the userName', 'invalidValue');
  if (!isAddress(email)) throw new ScimProblem(400, `${email} is not an e-mail address`, 'invalidValue');
  const name = d.displayName ?? d.formatted ?? (nameFrom(d.givenName, d.familyName) || d.userName);
  if (name.length > 100) throw new ScimProblem(400, 'the name is longer than 100 characters', 'invalidValue');
  return {
    email,
    name,
    active: d.active,
    directory: {
      // The e-mail itself needs no second copy; anything else the provider calls the person is kept.
      userName: d.userName === email ? null : d.userName,
      externalId: d.externalId,
      givenName: d.givenName,
      familyName: d.familyName,
      deleted: false,
    },
  };
}

function invalidValue(error: z.ZodError, what: string): ScimProblem {
  const first = error.issues[0];
  return new ScimProblem(400, `${what}: ${first?.message ?? 'invalid'}`, 'invalidValue');
}

function parseValue<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidValue(parsed.error, what);
  return parsed.data;
}

const Text = (max: number) => z.string().max(max);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Applies one PATCH operation to a draft (RFC 7644 §3.5.2), as Entra ID and Okta send them. */
function applyOperation(d: Draft, op: ScimPatchOperation): void {
  if (op.path === undefined) {
    if (op.op === 'remove') throw new ScimProblem(400, 'remove needs a path', 'noTarget');
    // Okta: `{"op":"replace","value":{"active":false}}`; keys may be paths (`name.givenName`) too.
    if (!isObject(op.value)) {
      throw new ScimProblem(400, 'an operation without a path takes an object of attributes', 'invalidSyntax');
    }
    for (const [key, value] of Object.entries(op.value)) {
      const path = pathOf(key);
      if (path !== undefined) apply(d, op.op, path, value);
    }
    return;
  }
  const path = pathOf(op.path);
  if (path !== undefined) apply(d, op.op, path, op.value);
}

function pathOf(raw: string): PatchPath | undefined {
  try {
    return parsePatchPath(raw, (attr) => !NOT_KEPT.has(attr));
  } catch (error) {
    if (error instanceof FilterError) throw new ScimProblem(400, error.message, 'invalidPath');
    throw error;
  }
}

function apply(d: Draft, op: ScimPatchOperation['op'], { path, element }: PatchPath, value: unknown): void {
  const remove = op === 'remove';
  const single = (attr: string): void => {
    if (path.sub !== undefined || element !== undefined) {
      throw new ScimProblem(400, `${attr} has no sub-attributes`, 'invalidPath');
    }
  };
  switch (path.attr) {
    case 'active':
      single('active');
      if (remove) throw new ScimProblem(400, 'active cannot be removed', 'mutability');
      d.active = parseValue(ScimBooleanSchema, value, 'active');
      return;
    case 'username':
      single('userName');
      if (remove) throw new ScimProblem(400, 'userName is required', 'mutability');
      d.userName = parseValue(Text(254).trim().min(1), value, 'userName');
      return;
    case 'externalid':
      single('externalId');
      d.externalId = remove ? null : blankToNull(parseValue(Text(200).nullable(), value, 'externalId'));
      return;
    case 'displayname':
      single('displayName');
      d.displayName = remove ? null : blankToNull(parseValue(Text(200).nullable(), value, 'displayName'));
      return;
    case 'name':
      if (element !== undefined) throw new ScimProblem(400, 'name is not multi-valued', 'invalidPath');
      applyName(d, remove, path, value);
      return;
    case 'emails':
      applyEmails(d, op, path, element, value);
      return;
    default:
      throw new ScimProblem(400, `${path.attr} is not an attribute of a User`, 'invalidPath');
  }
}

function applyName(d: Draft, remove: boolean, path: AttrPath, value: unknown): void {
  const set = (sub: string, v: string | null): void => {
    if (sub === 'givenname') d.givenName = v;
    else if (sub === 'familyname') d.familyName = v;
    else if (sub === 'formatted') d.formatted = v;
    else if (!NAME_NOT_KEPT.has(sub)) throw new ScimProblem(400, `name has no sub-attribute ${sub}`, 'invalidPath');
  };
  if (path.sub !== undefined) {
    set(path.sub, remove ? null : blankToNull(parseValue(Text(200).nullable(), value, `name.${path.sub}`)));
    return;
  }
  if (remove) {
    d.givenName = null;
    d.familyName = null;
    d.formatted = null;
    return;
  }
  // Replacing a complex attribute replaces the sub-attributes given and keeps the rest (§3.5.2.3).
  const name = parseValue(ScimNameSchema, value, 'name');
  for (const [key, v] of Object.entries(name)) {
    set(key.toLowerCase(), blankToNull(parseValue(Text(200).nullable().optional(), v, `name.${key}`)));
  }
}

function applyEmails(
  d: Draft,
  op: ScimPatchOperation['op'],
  path: AttrPath,
  element: Filter | undefined,
  value: unknown,
): void {
  const sub = path.sub;
  const setSub = (e: Email, v: unknown): void => {
    if (sub === 'value') e.value = parseValue(Text(254), v, 'emails.value').trim();
    else if (sub === 'type') e.type = parseValue(Text(64).nullable(), v, 'emails.type');
    else if (sub === 'primary') e.primary = parseValue(ScimBooleanSchema, v, 'emails.primary');
    else if (sub !== 'display') throw new ScimProblem(400, `emails has no sub-attribute ${sub ?? ''}`, 'invalidPath');
  };
  const record = (e: Email): Record<string, Scalar> => ({ value: e.value, type: e.type, primary: e.primary });
  const targets =
    element === undefined ? d.emails : d.emails.filter((e) => elementMatches(element, 'emails', record(e)));

  if (op === 'remove') {
    // Removing an element's value removes the element; its type or primary is cleared.
    if (sub === undefined || sub === 'value') d.emails = d.emails.filter((e) => !targets.includes(e));
    else for (const e of targets) setSub(e, sub === 'primary' ? false : null);
    return;
  }
  if (sub === undefined) {
    const given = Array.isArray(value) ? value : [value];
    const emails = given.map((v) => emailOf(parseValue(ScimEmailSchema, v, 'emails')));
    if (element !== undefined) {
      // `emails[type eq "work"]` with an element: it takes the place of the ones that matched.
      d.emails = [...d.emails.filter((e) => !targets.includes(e)), ...emails];
    } else {
      d.emails = op === 'add' ? [...d.emails, ...emails] : emails;
    }
    return;
  }
  if (targets.length > 0) {
    for (const e of targets) setSub(e, value);
    return;
  }
  // Nothing matched `emails[type eq "work"].value`: Entra ID means "the work address is this".
  const implied = element === undefined ? {} : impliedBy(element);
  const created: Email = {
    value: '',
    type: typeof implied['type'] === 'string' ? implied['type'] : null,
    primary: implied['primary'] === true,
  };
  setSub(created, value);
  d.emails = [...d.emails, created];
}

/** What filters see of a User: the resource as GET answers it (scimFilter's FilterRecord). */
function recordOf(u: ScimUser): FilterRecord {
  return {
    id: u.id,
    externalid: u.externalId ?? null,
    username: u.userName,
    displayname: u.displayName,
    active: u.active,
    'name.givenname': u.name.givenName ?? null,
    'name.familyname': u.name.familyName ?? null,
    'name.formatted': u.name.formatted ?? null,
    'meta.created': u.meta.created,
    'meta.lastmodified': u.meta.lastModified,
    emails: u.emails.map((e) => ({ value: e.value, type: e.type, primary: e.primary })),
  };
}

/**
 * SCIM 2.0 provisioning of an organisation's people by its identity provider, and the tokens
 * that let it in. Every change to a person goes through the people service, so `active: false`
 * and DELETE offboard exactly as an administrator's deactivation does (sessions, sockets,
 * presence, lobbies, LiveKit rooms). People created here have no password: they sign in through
 * the identity provider. Roles are the app's, never the provider's; guests are invisible here.
 */
export function scimService(store: Store, people: PeopleService, audit: AuditService, publicUrl: () => string) {
  const baseUrl = (): string => `${publicUrl()}${SCIM_BASE_PATH}`;

  function resource(p: DirectoryPerson): ScimUser {
    const { user } = p;
    const formatted = nameFrom(p.givenName, p.familyName);
    return {
      schemas: [SCIM_SCHEMA.user],
      id: user.id,
      ...(p.externalId === null ? {} : { externalId: p.externalId }),
      userName: p.userName,
      name: {
        ...(p.givenName === null ? {} : { givenName: p.givenName }),
        ...(p.familyName === null ? {} : { familyName: p.familyName }),
        ...(formatted === '' ? {} : { formatted }),
      },
      displayName: user.name,
      emails: [{ value: user.email, type: 'work', primary: true }],
      active: user.status === 'active',
      meta: {
        resourceType: 'User',
        created: user.createdAt,
        lastModified: p.lastModified,
        location: `${baseUrl()}/Users/${user.id}`,
      },
    };
  }

  async function visible(client: ScimClient, userId: string): Promise<DirectoryPerson> {
    const person = await store.scim.person(client.organisationId, userId);
    if (person === undefined || person.deleted) throw new ScimProblem(404, `User ${userId} not found`);
    return person;
  }

  async function reread(client: ScimClient, userId: string): Promise<ScimUser> {
    return resource(await visible(client, userId));
  }

  /** userName is unique in the organisation, compared without case (RFC 7643 §4.1.1). */
  async function userNameFree(client: ScimClient, userName: string, self?: string): Promise<void> {
    const holders = await store.scim.findPeople(client.organisationId, { by: 'userName', value: userName });
    if (holders.some((h) => h.user.id !== self)) {
      throw new ScimProblem(409, `userName ${userName} is already taken`, 'uniqueness');
    }
  }

  /** An e-mail belongs to one account across the server; another organisation's is not named. */
  async function emailFree(client: ScimClient, email: string, self?: string): Promise<void> {
    const holder = await store.identity.findByEmail(email);
    if (holder === undefined || holder.user.id === self) return;
    throw new ScimProblem(
      409,
      holder.user.organisationId === client.organisationId
        ? `${email} belongs to another person of this organisation`
        : ADDRESS_REFUSED,
      'uniqueness',
    );
  }

  /** A write the schema refused for uniqueness (a race with another request): 409 as SCIM says. */
  async function unique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ScimProblem(409, 'userName or e-mail is already taken', 'uniqueness');
      throw error;
    }
  }

  /** Writes a changed draft through the people service; status only when it changes. */
  async function write(client: ScimClient, current: DirectoryPerson, draft: Draft): Promise<ScimUser> {
    const next = settle(draft);
    const directoryChanged = [
      ...(draft.userName === current.userName ? [] : ['userName']),
      ...(next.directory.externalId === current.externalId ? [] : ['externalId']),
      ...(next.directory.givenName === current.givenName ? [] : ['givenName']),
      ...(next.directory.familyName === current.familyName ? [] : ['familyName']),
    ];
    if (draft.userName.toLowerCase() !== current.userName.toLowerCase()) {
      await userNameFree(client, draft.userName, current.user.id);
    }
    if (next.email !== current.user.email) await emailFree(client, next.email, current.user.id);
    const wasActive = current.user.status === 'active';
    const patch: UserPatch = {
      name: next.name,
      email: next.email,
      directory: next.directory,
      ...(next.active === wasActive ? {} : { status: next.active ? 'active' : 'deactivated' }),
    };
    await unique(() => people.provision(client, current.user.id, patch, directoryChanged));
    return reread(client, current.user.id);
  }

  async function created(
    client: ScimClient,
    user: User,
    detail: { restored: boolean; active: boolean },
  ): Promise<void> {
    await audit.record({
      organisationId: client.organisationId,
      action: 'person.created',
      actor: client.actor,
      target: personTarget(user),
      origin: client.origin,
      detail: { role: user.role, method: 'scim', ...detail },
    });
  }

  function filterOf(raw: string): Filter {
    try {
      return parseFilter(raw);
    } catch (error) {
      if (error instanceof FilterError) throw new ScimProblem(400, error.message, 'invalidFilter');
      throw error;
    }
  }

  const mayManage = (caller: Caller): void => {
    if (!isOrgAdmin(caller)) throw forbidden('only owners and admins manage provisioning tokens');
  };

  return {
    baseUrl,

    tokens: {
      async list(caller: Caller): Promise<ScimTokenList> {
        mayManage(caller);
        return { baseUrl: baseUrl(), tokens: await store.scim.listTokens(caller.user.organisationId) };
      },

      async create(caller: Caller, req: CreateScimTokenRequest): Promise<CreatedScimToken> {
        mayManage(caller);
        const secret = `${SECRET_PREFIX}${newToken()}`;
        const token = {
          id: newId(),
          label: req.label,
          prefix: secret.slice(0, SHOWN_CHARS),
          createdAt: nowIso(),
          createdBy: { id: caller.user.id, name: caller.user.name },
          lastUsedAt: null,
        };
        await store.scim.createToken({
          id: token.id,
          organisationId: caller.user.organisationId,
          hash: hashToken(secret),
          prefix: token.prefix,
          label: token.label,
          createdBy: caller.user.id,
          createdAt: token.createdAt,
        });
        await audit.byCaller(caller, 'scim.token_created', {
          target: { kind: 'scim_token', id: token.id, label: tokenLabel(token.label, token.prefix) },
        });
        return { token, secret, baseUrl: baseUrl() };
      },

      async revoke(caller: Caller, tokenId: string): Promise<void> {
        mayManage(caller);
        const revoked = found(
          await store.scim.revokeToken(caller.user.organisationId, tokenId, nowIso()),
          'provisioning token',
        );
        await audit.byCaller(caller, 'scim.token_revoked', {
          target: { kind: 'scim_token', id: tokenId, label: tokenLabel(revoked.label, revoked.prefix) },
        });
      },
    },

    /** The identity provider behind a bearer secret; undefined for anything but a working token. */
    async authenticate(secret: string, origin: RequestOrigin): Promise<ScimClient | undefined> {
      if (!secret.startsWith(SECRET_PREFIX)) return undefined;
      const token = await store.scim.useToken(hashToken(secret), nowIso());
      if (token === undefined) return undefined;
      const actor: AuditActor = { kind: 'scim', id: token.id, label: tokenLabel(token.label, token.prefix) };
      return { organisationId: token.organisationId, tokenId: token.id, actor, origin };
    },

    /**
     * Lists with a filter look up by index what the filter requires by equality (`userName eq`,
     * `externalId eq`, an e-mail), then apply the whole filter; without one, the store pages.
     */
    async list(client: ScimClient, query: ScimListQuery): Promise<ScimUserList> {
      const offset = query.startIndex - 1;
      let total: number;
      let page: ScimUser[];
      if (query.filter === undefined) {
        total = await store.scim.countPeople(client.organisationId);
        page = (await store.scim.pagePeople(client.organisationId, offset, query.count)).map(resource);
      } else {
        const filter = filterOf(query.filter);
        const candidates = await store.scim.findPeople(client.organisationId, narrowingOf(filter));
        const matched = candidates.map(resource).filter((u) => matches(filter, recordOf(u)));
        total = matched.length;
        page = matched.slice(offset, offset + query.count);
      }
      return {
        schemas: [SCIM_SCHEMA.listResponse],
        totalResults: total,
        startIndex: query.startIndex,
        itemsPerPage: page.length,
        Resources: page,
      };
    },

    get: (client: ScimClient, userId: string): Promise<ScimUser> => reread(client, userId),

    /**
     * A new person (a member, no password), or one the provider deleted before and now sends
     * again (same e-mail): they come back with what it says now.
     */
    async create(client: ScimClient, input: ScimUserInput): Promise<ScimUser> {
      const draft = draftFrom(input, true);
      const next = settle(draft);
      await userNameFree(client, draft.userName);
      const holder = await store.identity.findByEmail(next.email);
      if (holder !== undefined) {
        const earlier =
          holder.user.organisationId === client.organisationId
            ? await store.scim.person(client.organisationId, holder.user.id)
            : undefined;
        if (earlier?.deleted === true) {
          const restored = await write(client, earlier, draft);
          await created(client, earlier.user, { restored: true, active: restored.active });
          return restored;
        }
        await emailFree(client, next.email);
      }
      const user: User = {
        id: newId(),
        organisationId: client.organisationId,
        email: next.email,
        name: next.name,
        role: 'member',
        status: next.active ? 'active' : 'deactivated',
        createdAt: nowIso(),
      };
      await unique(() => store.identity.insertUser(user, NO_PASSWORD, next.directory));
      await created(client, user, { restored: false, active: next.active });
      return reread(client, user.id);
    },

    async replace(client: ScimClient, userId: string, input: ScimUserInput): Promise<ScimUser> {
      const current = await visible(client, userId);
      return write(client, current, draftFrom(input, current.user.status === 'active'));
    },

    async patch(client: ScimClient, userId: string, req: ScimPatchRequest): Promise<ScimUser> {
      const current = await visible(client, userId);
      const draft = draftOf(current);
      for (const op of req.Operations) applyOperation(draft, op);
      return write(client, current, draft);
    },

    /** The person is offboarded and leaves SCIM's view; their record stays for what they wrote. */
    async remove(client: ScimClient, userId: string): Promise<void> {
      const current = await visible(client, userId);
      const deletion: UserPatch = {
        status: 'deactivated',
        directory: {
          userName: null,
          externalId: null,
          givenName: current.givenName,
          familyName: current.familyName,
          deleted: true,
        },
      };
      await people.provision(client, userId, deletion, []);
    },
  };
}

export type ScimService = ReturnType<typeof scimService>;
