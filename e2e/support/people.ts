import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import {
  AuthSessionSchema,
  MeetingSchema,
  ROUTES,
  UserSchema,
  type CreateMeetingRequest,
  type Meeting,
  type User,
} from '@tandem/shared';
import type { Page } from 'playwright-core';
import type { Desktop } from './desktop.ts';

export type Person = { readonly email: string; readonly name: string };

/** A third person, whom tests add to the demo organisation (`addPerson`). */
export const LINUS: Person = { email: 'linus@tandem.example', name: 'Linus Demo' };

/** The demo owner's access token, straight from the server's sign-in route. */
export async function ownerToken(serverUrl: string): Promise<string> {
  const [owner] = DEMO_PEOPLE;
  const response = await fetch(`${serverUrl}${ROUTES.signIn.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: owner.email, password: DEMO_PASSWORD }),
  });
  return AuthSessionSchema.parse(await response.json()).tokens.accessToken;
}

/** A member added to the demo organisation by its owner, with the demo password. */
export async function addPerson(serverUrl: string, person: Person): Promise<User> {
  const response = await fetch(`${serverUrl}${ROUTES.createUser.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(serverUrl)}` },
    body: JSON.stringify({ ...person, password: DEMO_PASSWORD, role: 'member' }),
  });
  if (!response.ok) throw new Error(`createUser answered ${response.status}: ${await response.text()}`);
  return UserSchema.parse(await response.json());
}

/** Each desktop signed in as the person at its place (`startWorld`'s desktops and their people), side by side. */
export async function signInEach(
  desktops: readonly Desktop[],
  serverUrl: string,
  people: readonly Person[],
): Promise<void> {
  if (desktops.length !== people.length) throw new Error(`${desktops.length} desktops for ${people.length} people`);
  await Promise.all(people.map((person, i) => signIn((desktops[i] as Desktop).page, serverUrl, person)));
}

/** Signs in through the app's sign-in screen and waits for home. */
export async function signIn(page: Page, serverUrl: string, person: Person): Promise<void> {
  const server = page.getByLabel('Server', { exact: true });
  // A server fixed by IT policy is shown read-only; it is already the right one.
  if (await server.isEditable()) await server.fill(serverUrl);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Up to a minute: at a load average of 20 (a CI run beside other work) home took over 30 s.
  await page.getByRole('heading', { name: `Hello, ${person.name}` }).waitFor({ timeout: 60_000 });
}

/** From home: joins by code through the pre-join screen and waits for the call controls. */
export async function joinByCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Meeting code or link').fill(code);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await joinFromPreview(page);
}

export async function joinFromPreview(page: Page): Promise<void> {
  await page.getByLabel('Your camera preview').waitFor({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Join now' }).click();
  await page.getByRole('navigation', { name: 'Call controls' }).waitFor({ timeout: 20_000 });
}

/** A control of the call's bar, or of its More menu when the window has no room for it. */
export async function callControl(page: Page, name: string): Promise<void> {
  const bar = page.getByRole('navigation', { name: 'Call controls' });
  const button = bar.getByRole('button', { name, exact: true });
  const more = bar.getByRole('button', { name: 'More' });
  // Just after joining, the bar may still be on its way.
  await button.or(more).first().waitFor();
  if (await button.isVisible()) return button.click();
  await more.click();
  await page.getByRole('menuitemcheckbox', { name, exact: true }).click();
}

/** Creates a meeting from home and answers its join code. */
export async function createMeeting(page: Page, title: string): Promise<string> {
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const row = page.locator('.meeting', { hasText: title });
  await row.waitFor();
  const code = (await row.locator('code').textContent()) ?? '';
  if (code === '') throw new Error('the new meeting shows no join code');
  return code;
}

/** A GET route of the server with the demo owner's token: what the server holds, for assertions. */
export async function asOwner(serverUrl: string, path: string): Promise<unknown> {
  const response = await fetch(`${serverUrl}${path}`, {
    headers: { authorization: `Bearer ${await ownerToken(serverUrl)}` },
  });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
  return response.json();
}

/** A meeting created by the demo owner through the server's API, e.g. with settings the UI does not offer. */
export async function ownerCreatesMeeting(serverUrl: string, request: CreateMeetingRequest): Promise<Meeting> {
  const response = await fetch(`${serverUrl}${ROUTES.createMeeting.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(serverUrl)}` },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw new Error(`createMeeting answered ${response.status}: ${await response.text()}`);
  return MeetingSchema.parse(await response.json());
}
