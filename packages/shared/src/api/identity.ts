import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { ChangesPageFields, changesQuery, IdSchema, TimeZoneSchema, TimestampSchema } from './common.ts';
import { RECORDING_RETENTION_DAYS } from './recordings.ts';

export const RoleSchema = lazySchema(() => z.enum(['owner', 'admin', 'member', 'guest']));
export type Role = z.infer<typeof RoleSchema>;

export const OrganisationSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    name: z.string(),
    createdAt: TimestampSchema,
  }),
);
export type Organisation = z.infer<typeof OrganisationSchema>;

/** What an organisation's owners and admins decide for everyone in it. */
export const OrganisationSettingsSchema = lazySchema(() =>
  z.object({
    /** Whether people from outside may knock through a meeting's https link (they always wait in the lobby). */
    externalGuests: z.boolean(),
    /** Whether hosts may record meetings (IT may still turn recording off for the whole server). */
    recording: z.boolean(),
    /** Recordings are deleted this many days after they ended. */
    recordingRetentionDays: z.number().int().min(RECORDING_RETENTION_DAYS.min).max(RECORDING_RETENTION_DAYS.max),
    /** Whether meetings are transcribed, with live captions (IT may still turn transcription off for the whole server). */
    transcription: z.boolean(),
    /** Where the organisation's meetings are held, by default: meeting notes read "by Friday" in it (IANA name). */
    timeZone: TimeZoneSchema,
  }),
);
export type OrganisationSettings = z.infer<typeof OrganisationSettingsSchema>;
export const UpdateOrganisationSettingsSchema = lazySchema(() => OrganisationSettingsSchema.partial().strict());

/**
 * A deactivated person (offboarded) can no longer sign in and holds no session; the record stays,
 * so what they wrote keeps its author.
 */
export const UserStatusSchema = lazySchema(() => z.enum(['active', 'deactivated']));
export type UserStatus = z.infer<typeof UserStatusSchema>;

export const UserSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    organisationId: IdSchema,
    email: z.email(),
    name: z.string(),
    role: RoleSchema,
    // Records stored before accounts could be deactivated (the desktop's cached session) lack it.
    status: UserStatusSchema.default('active'),
    createdAt: TimestampSchema,
  }),
);
export type User = z.infer<typeof UserSchema>;

const Email = lazySchema(() => z.email().max(254));
const Password = lazySchema(() => z.string().min(10).max(200));
const Name = lazySchema(() => z.string().trim().min(1).max(100));

/**
 * Access tokens are short-lived opaque bearer tokens (`Authorization: Bearer <accessToken>`).
 * Refresh tokens rotate: each refresh answers a new pair and the old refresh token stops working;
 * presenting a rotated refresh token again revokes the whole session (it was stolen or replayed).
 */
export const AuthTokensSchema = lazySchema(() =>
  z.object({
    accessToken: z.string(),
    accessTokenExpiresAt: TimestampSchema,
    refreshToken: z.string(),
    refreshTokenExpiresAt: TimestampSchema,
  }),
);
export type AuthTokens = z.infer<typeof AuthTokensSchema>;

export const AuthSessionSchema = lazySchema(() =>
  z.object({
    user: UserSchema,
    organisation: OrganisationSchema,
    tokens: AuthTokensSchema,
  }),
);
export type AuthSession = z.infer<typeof AuthSessionSchema>;

/** Creates a new organisation with the caller as its owner. */
export const SignUpRequestSchema = lazySchema(() =>
  z.strictObject({
    organisationName: Name,
    name: Name,
    email: Email,
    password: Password,
  }),
);
export type SignUpRequest = z.infer<typeof SignUpRequestSchema>;

export const SignInRequestSchema = lazySchema(() =>
  z.strictObject({ email: Email, password: z.string().min(1).max(200) }),
);
export type SignInRequest = z.infer<typeof SignInRequestSchema>;

export const RefreshRequestSchema = lazySchema(() => z.strictObject({ refreshToken: z.string().min(1).max(200) }));
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

export const MeSchema = lazySchema(() => z.object({ user: UserSchema, organisation: OrganisationSchema }));
export type Me = z.infer<typeof MeSchema>;

/** Owners and admins add people to their own organisation. Only an owner may create an owner. */
export const CreateUserRequestSchema = lazySchema(() =>
  z.strictObject({
    email: Email,
    name: Name,
    password: Password,
    role: RoleSchema,
  }),
);
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

/**
 * Owners and admins change a person's role or name. Only an owner makes or unmakes an owner, and
 * an organisation always keeps one active owner.
 */
export const UpdateUserRequestSchema = lazySchema(() =>
  z
    .strictObject({ role: RoleSchema.optional(), name: Name.optional() })
    .refine((r) => r.role !== undefined || r.name !== undefined, { message: 'name a role or a name to change' }),
);
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

/** What sign-in and refresh answer (code `forbidden`) for a deactivated account. */
export const ACCOUNT_DEACTIVATED = 'account deactivated';
/** What the desktop tells the person: on the sign-in screen, and when sign-in is refused. */
export const ACCOUNT_DEACTIVATED_NOTICE = 'Your account was deactivated. Ask your IT department.';

/** The most people one page of `GET /users` holds when a client asks for pages (`limit`). */
export const USER_PAGE_LIMIT = 1_000;

/** `GET /users`: the organisation's people, read by changes (`changesQuery`). */
export const UserListQuerySchema = lazySchema(() => z.strictObject(changesQuery(USER_PAGE_LIMIT)));
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const UserListSchema = lazySchema(() => z.object({ users: z.array(UserSchema), ...ChangesPageFields }));
export type UserList = z.infer<typeof UserListSchema>;
